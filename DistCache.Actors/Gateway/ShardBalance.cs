namespace DistCache.Actors.Gateway;

/// <summary>Whether the cluster's partitions have settled: every partition running somewhere and the Up
/// members within one shard of each other (what the allocation strategy aims for). While shards move it
/// says how far along they are, for `status`.</summary>
public static class ShardBalance
{
    public static (bool Settled, string Text) Describe(int partitions, int shards, IReadOnlyList<int> partitionsPerUpMember)
    {
        if (partitionsPerUpMember.Count == 0)
            return (false, "no Up member answered");
        var placed = partitionsPerUpMember.Sum();
        var perShard = (partitions + shards - 1) / shards;
        var spread = partitionsPerUpMember.Max() - partitionsPerUpMember.Min();
        var counts = string.Join(" / ", partitionsPerUpMember);
        if (placed < partitions)
            return (false, $"moving: {placed} of {partitions} partitions running (per node {counts})");
        return spread <= perShard
            ? (true, $"balanced: {counts} partitions per node")
            : (false, $"moving: {counts} partitions per node, rebalancing");
    }
}
