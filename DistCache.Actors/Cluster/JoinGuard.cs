using Akka.Actor;
using Akka.Configuration;
using DistCache.Actors.Gateway;
using DistCache.Protocol;

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
        // Asked together: with every node listing every seed, the first node up would otherwise wait out
        // one timeout per seed that is not up yet.
        var others = seeds.Where(s => s != self).Distinct().ToArray();
        var answers = await Task.WhenAll(others.Select(seed => DescribeAsync(system, seed)));
        foreach (var (seed, theirs) in others.Zip(answers))
        {
            if (theirs is null)
                continue; // Not up (yet): nothing to compare.
            if (theirs.Partitions != mine.Partitions)
                throw new ConfigurationException(
                    $"distcache.partitions = {mine.Partitions}, but the cluster at {seed.Host}:{seed.Port} uses {theirs.Partitions}; refusing to join.");
            if (theirs.StoreId != mine.StoreId)
                throw new ConfigurationException(
                    $"distcache.journal / distcache.connection-string: this node's store (id {mine.StoreId}) is not the one the cluster at {seed.Host}:{seed.Port} uses (id {theirs.StoreId}); " +
                    "every node must share one journal database, or partitions would recover without their data. Refusing to join.");
        }
    }

    private static async Task<NodeDescription?> DescribeAsync(ActorSystem system, Address seed)
    {
        try
        {
            return await system.ActorSelection(new RootActorPath(seed) / "user" / GatewayActor.Name)
                .Ask<NodeDescription>(DescribeNode.Instance, AskTimeout);
        }
        catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
        {
            return null;
        }
    }
}
