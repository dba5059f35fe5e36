using DistCache.Actors.Partitions;
using DistCache.Wire;

namespace DistCache.Actors.Repartition;

/// <summary>Moves every entry of a store's old partitions (placed by FNV-1a) to the partition owning its
/// slot. What a key carries moves with it: value, expiry, version and sliding window. The partition
/// counters survive too: each new partition's next version is past every old one (a version never repeats
/// for a key, so optimistic writes that saw an old version still fail), and the evictions of old partition
/// i are counted by new partition i, so the node's total is unchanged. Remembered request ids are dropped:
/// they answer retries of requests in flight, and the cluster is stopped while a store is repartitioned.</summary>
public static class Rebucketing
{
    /// <param name="sources">The old partitions' contents, by old partition number.</param>
    public static PartitionSnapshot[] Rebucket(IReadOnlyList<PartitionSnapshot> sources, int partitions)
    {
        var entries = new List<SnapshotEntry>[partitions];
        var sliding = new List<SnapshotSliding>[partitions];
        for (var p = 0; p < partitions; p++)
        {
            entries[p] = [];
            sliding[p] = [];
        }
        var nextVersion = 1L;
        foreach (var source in sources)
        {
            nextVersion = Math.Max(nextVersion, source.NextVersion);
            foreach (var entry in source.Entries)
                entries[KeyHasher.PartitionOf(entry.Key, partitions)].Add(entry);
            foreach (var window in source.Sliding ?? [])
                sliding[KeyHasher.PartitionOf(window.Key, partitions)].Add(window);
        }
        return Enumerable.Range(0, partitions)
            .Select(p => new PartitionSnapshot(entries[p], [], nextVersion, p < sources.Count ? sources[p].Evictions : 0, sliding[p]))
            .ToArray();
    }
}
