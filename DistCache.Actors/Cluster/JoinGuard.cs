using Akka.Actor;
using Akka.Configuration;
using DistCache.Actors.Gateway;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Cluster;

/// <summary>Before joining, asks the seed nodes that answer what partition count and store they use, and
/// refuses to join a cluster that differs: such a node would own partitions whose keys it hashes
/// differently, or journal them somewhere the rest of the cluster never reads.</summary>
public static class JoinGuard
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    public static async Task CheckAsync(ActorSystem system, IEnumerable<Address> seeds, NodeDescription mine)
    {
        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        foreach (var seed in seeds.Where(s => s != self))
        {
            NodeDescription theirs;
            try
            {
                theirs = await system.ActorSelection(new RootActorPath(seed) / "user" / GatewayActor.Name)
                    .Ask<NodeDescription>(DescribeNode.Instance, AskTimeout);
            }
            catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
            {
                continue; // Not up (yet): the cluster's own join handshake decides.
            }

            if (theirs.Partitions != mine.Partitions)
                throw new ConfigurationException(
                    $"distcache.partitions = {mine.Partitions}, but the cluster at {seed.Host}:{seed.Port} uses {theirs.Partitions}; refusing to join.");
            if (theirs.StoreId != mine.StoreId)
                throw new ConfigurationException(
                    $"distcache.journal / distcache.connection-string: this node's store (id {mine.StoreId}) is not the one the cluster at {seed.Host}:{seed.Port} uses (id {theirs.StoreId}); " +
                    "every node must share one journal database, or partitions would recover without their data. Refusing to join.");
        }
    }
}
