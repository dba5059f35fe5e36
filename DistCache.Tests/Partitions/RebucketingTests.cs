using DistCache.Actors.Partitions;
using DistCache.Actors.Repartition;
using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Tests.Partitions;

public class RebucketingTests
{
    private static SnapshotEntry Entry(string key, long version, long expiresAt = 0) =>
        new(key, new CacheValue(ValueKind.String, System.Text.Encoding.UTF8.GetBytes("v-" + key)), version, expiresAt);

    [Fact]
    public void Every_entry_moves_to_its_slots_partition_with_its_version_expiry_and_window()
    {
        const int partitions = 8;
        var keys = Enumerable.Range(0, 200).Select(i => "key:" + i).ToArray();
        // Old placement: anything but the slot's (here round-robin), as FNV-1a put them.
        var old = Enumerable.Range(0, partitions).Select(p => new PartitionSnapshot(
                keys.Where((_, i) => i % partitions == p).Select((k, i) => Entry(k, 1000 * p + i, i % 3 == 0 ? 4_102_444_800_000 + i : 0)).ToArray(),
                [new KeyValuePair<Guid, ICacheReply>(Guid.NewGuid(), Stored.Instance)],
                NextVersion: 1000 * p + 500,
                Evictions: p,
                Sliding: [new SnapshotSliding(keys[p], 60_000, 4_102_444_800_000)]))
            .ToArray();

        var moved = Rebucketing.Rebucket(old, partitions);

        Assert.Equal(partitions, moved.Length);
        var before = old.SelectMany(s => s.Entries).ToDictionary(e => e.Key);
        var after = moved.SelectMany((s, p) => s.Entries.Select(e => (Partition: p, Entry: e))).ToArray();
        Assert.Equal(before.Count, after.Length);
        foreach (var (partition, entry) in after)
        {
            Assert.Equal(KeyHasher.PartitionOf(entry.Key, partitions), partition);
            Assert.Equal(before[entry.Key], entry);
        }
        foreach (var (snapshot, p) in moved.Select((s, p) => (s, p)))
        {
            Assert.All(snapshot.Sliding!, w => Assert.Equal(p, KeyHasher.PartitionOf(w.Key, partitions)));
            // Past every old partition's next version: a version never repeats for a key.
            Assert.Equal(1000 * (partitions - 1) + 500, snapshot.NextVersion);
            Assert.Empty(snapshot.RecentRequests);
        }
        Assert.Equal(old.SelectMany(s => s.Sliding!).OrderBy(w => w.Key), moved.SelectMany(s => s.Sliding!).OrderBy(w => w.Key));
        Assert.Equal(old.Sum(s => s.Evictions), moved.Sum(s => s.Evictions));
    }

    [Fact]
    public void Keys_sharing_a_hash_tag_land_together()
    {
        var old = new[] { new PartitionSnapshot([Entry("{u}:a", 1)], []), new PartitionSnapshot([Entry("{u}:b", 2)], []) };
        var moved = Rebucketing.Rebucket(old, 256);
        Assert.Single(moved, s => s.Entries.Count == 2);
    }
}
