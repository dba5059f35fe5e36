using Akka;
using Akka.Actor;
using DistCache.Actors.Cluster;
using DistCache.Actors.Gateway;

namespace DistCache.Host.Resp.RedisCluster;

/// <summary>A leaving node's Redis port after its partitions have been handed off and before it leaves the
/// cluster (the coordinated-shutdown phase <see cref="Phase"/>, between cluster-sharding-shutdown-region and
/// cluster-leave). Its shard map still follows the hand-offs then (read from another member), so a Redis
/// Cluster client sending here gets MOVED to each slot's new owner and updates its own map, until no such
/// client has sent a command for <see cref="Quiet"/> (at most <see cref="Most"/>). After the leave the map
/// can no longer be refreshed; a client that only ever got -ASK (a slot whose new owner was not known yet)
/// would keep sending here until the port closed under its commands.</summary>
public static class LeaveDrain
{
    /// <summary>Declared in hocon/distcache.conf (akka.coordinated-shutdown.phases).</summary>
    public const string Phase = "distcache-resp-drain";

    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Most = TimeSpan.FromSeconds(5);

    /// <param name="drain">Waits until the port's redirected clients have been quiet (quiet, most, poll):
    /// <c>poll</c> runs on every check.</param>
    public static void Register(DistCacheNode node, Func<TimeSpan, TimeSpan, Action, Task> drain)
    {
        var shutdown = CoordinatedShutdown.Get(node.System);
        var refresher = node.System.ActorSelection(node.Gateway.Path / "shard-map");
        shutdown.AddTask(Phase, "redirect-redis-cluster-clients", async () =>
        {
            // A downed node has no hand-off to follow and must stop at once.
            if (shutdown.ShutdownReason is not CoordinatedShutdown.ClusterDowningReason)
                await drain(Quiet, Most, () => refresher.Tell(RefreshShardMapNow.Instance)).ConfigureAwait(false);
            return Done.Instance;
        });
    }
}
