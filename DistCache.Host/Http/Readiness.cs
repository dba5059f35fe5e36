using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using DistCache.Actors.Cluster;

namespace DistCache.Host.Http;

/// <summary>Ready = this node is an Up member, every shard of the cluster has a home, and every partition of
/// the shards this node runs has started and finished recovering (so a request here is answered from
/// warm memory). A node that hosts no shard (more nodes than shards) is ready once the others are placed.</summary>
public static class Readiness
{
    public static async Task<(bool Ready, string Why)> CheckAsync(DistCacheNode node)
    {
        if (node.System.WhenTerminated.IsCompleted)
            return (false, "stopped");
        var self = Akka.Cluster.Cluster.Get(node.System).SelfMember;
        if (self.Status != MemberStatus.Up || !node.WhenUp.IsCompleted)
            return (false, $"member status {self.Status}");
        var shards = node.Settings.Shards;
        var cluster = await node.Region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(3));
        var placed = cluster.Regions.Values.Sum(r => r.Stats.Count);
        if (placed < shards)
            return (false, $"{placed} of {shards} shards placed");

        var state = await node.Region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(2));
        var expected = 0;
        var recovered = 0;
        foreach (var shard in state.Shards)
        {
            var id = int.Parse(shard.ShardId, System.Globalization.CultureInfo.InvariantCulture);
            // Partitions p with p mod shards == id belong to this shard.
            expected += (node.Settings.Partitions - id + shards - 1) / shards;
            recovered += shard.EntityIds.Count(node.Recovery.IsRecovered);
        }
        return recovered >= expected
            ? (true, $"ready: {recovered} partitions recovered")
            : (false, $"{recovered} of {expected} partitions recovered");
    }
}
