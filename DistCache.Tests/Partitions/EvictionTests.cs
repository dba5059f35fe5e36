using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;
using static DistCache.Tests.Partitions.PartitionTestHarness;

namespace DistCache.Tests.Partitions;

public class EvictionTests
{
    private readonly ManualClock _clock = new();

    // Every test value is 1,000 bytes, so each entry costs CacheEntry.SizeOf(key, 1000 bytes).
    private static readonly CacheValue Kilobyte = new(ValueKind.Bytes, new byte[1000]);
    private static readonly long EntrySize = CacheEntry.SizeOf("k0", Kilobyte);

    private PartitionTestHarness Partition(EvictionPolicy policy, int entries) =>
        new(() => new PartitionState(PartitionLimits.Default, clock: _clock, memory: new MemoryPolicy(policy, () => entries * EntrySize)));

    [Fact]
    public void Noeviction_refuses_a_write_over_the_limit_and_keeps_everything()
    {
        var p = Partition(EvictionPolicy.NoEviction, 3);
        for (var i = 0; i < 3; i++)
            Assert.Equal(Stored.Instance, p.Run(new SetValue("k" + i, Kilobyte)));
        var rejected = Assert.IsType<Rejected>(p.Run(new SetValue("k3", Kilobyte)));
        Assert.Equal(CacheErrorCode.OutOfMemory, rejected.Code);
        Assert.True(rejected.Size > rejected.Limit, $"needs {rejected.Size} of a {rejected.Limit}-byte share");
        Assert.Equal(3, p.State.Count);
        // Overwriting with a value of the same size needs no room.
        Assert.Equal(Stored.Instance, p.Run(new SetValue("k1", Kilobyte)));
        Assert.Equal(new Deleted(true), p.Run(new DeleteKey("k0")));
        Assert.Equal(Stored.Instance, p.Run(new SetValue("k3", Kilobyte)));
    }

    [Fact]
    public void Allkeys_lru_evicts_the_least_recently_used_and_journals_it()
    {
        var p = Partition(EvictionPolicy.AllKeysLru, 3);
        for (var i = 0; i < 3; i++)
            p.Run(new SetValue("k" + i, Kilobyte));
        p.Run(new GetValue("k0")); // k1 is now the least recently used
        Assert.Equal(Stored.Instance, p.Run(new SetValue("k3", Kilobyte)));

        Assert.Null(Assert.IsType<Found>(p.Run(new GetValue("k1"))).Value);
        Assert.NotNull(Assert.IsType<Found>(p.Run(new GetValue("k0"))).Value);
        Assert.Equal(1, p.State.Evictions);
        Assert.Contains(p.Journal.OfType<PartitionChanged>().SelectMany(c => c.Changes), c => c == new EntryRemoved("k1", Evicted: true));

        // Recovery replays the eviction: k1 does not come back.
        var recovered = p.Recover();
        Assert.Equal(new Existence(false), recovered.Decide(new KeyExists("k1")).Reply);
        Assert.Equal(3, recovered.Count);
        Assert.Equal(1, recovered.Evictions);
    }

    [Fact]
    public void Volatile_ttl_evicts_the_key_closest_to_expiry_and_refuses_when_none_has_a_ttl()
    {
        var p = Partition(EvictionPolicy.VolatileTtl, 3);
        // Keys of the same length as "k0", so each entry costs exactly EntrySize.
        p.Run(new SetValue("la", Kilobyte, Expiry.After(TimeSpan.FromHours(2))));
        p.Run(new SetValue("so", Kilobyte, Expiry.After(TimeSpan.FromHours(1))));
        p.Run(new SetValue("fo", Kilobyte));
        Assert.Equal(Stored.Instance, p.Run(new SetValue("n1", Kilobyte)));
        Assert.Equal(new Existence(false), p.Run(new KeyExists("so")));
        Assert.Equal(new Existence(true), p.Run(new KeyExists("la")));

        Assert.Equal(Stored.Instance, p.Run(new SetValue("n2", Kilobyte)));
        Assert.Equal(new Existence(false), p.Run(new KeyExists("la")));
        var rejected = Assert.IsType<Rejected>(p.Run(new SetValue("n3", Kilobyte)));
        Assert.Equal(CacheErrorCode.OutOfMemory, rejected.Code);
        Assert.Equal(new Existence(true), p.Run(new KeyExists("fo")));
        Assert.Equal(2, p.State.Evictions);
    }

    [Fact]
    public void Used_bytes_follow_writes_and_deletes()
    {
        var p = Partition(EvictionPolicy.NoEviction, 100);
        p.Run(new SetValue("k0", Kilobyte));
        p.Run(new SetValue("k1", Kilobyte));
        Assert.Equal(2 * EntrySize, p.State.UsedBytes);
        p.Run(new DeleteKey("k0"));
        Assert.Equal(EntrySize, p.State.UsedBytes);
        p.Run(new FlushPart(0));
        Assert.Equal(0, p.State.UsedBytes);
    }
}
