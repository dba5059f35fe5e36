using DistCache.Actors.Partitions;
using DistCache.Actors.Serialization;
using DistCache.Protocol;
using DistCache.Tests.Client.Protocol;
using static DistCache.Tests.Partitions.PartitionTestHarness;

namespace DistCache.Tests.Partitions;

/// <summary>Keys are byte strings in the partition's entry table, expiry index, LRU and sliding windows,
/// and in what it journals and snapshots.</summary>
public class BinaryKeyTests
{
    private static readonly CacheKey[] Keys = CacheKeyTests.Tricky.Select(b => new CacheKey(b)).ToArray();

    private readonly PartitionTestHarness _p = new(() => new PartitionState(new PartitionLimits(64, 1024)));

    [Fact]
    public void Keys_that_only_differ_in_bytes_that_are_not_utf8_hold_their_own_values()
    {
        Assert.Equal(Stored.Instance, _p.Run(new SetValue(new CacheKey([0xff]), Text("one"))));
        Assert.Equal(Stored.Instance, _p.Run(new SetValue(new CacheKey([0xfe]), Text("two"))));
        Assert.Equal("one", TextOf(_p.Run(new GetValue(new CacheKey([0xff])))));
        Assert.Equal(new CounterValue(2), _p.Run(new CountPart(0)));
        Assert.Equal(new Deleted(true), _p.Run(new DeleteKey(new CacheKey([0xfe]))));
        Assert.Equal("one", TextOf(_p.Run(new GetValue(new CacheKey([0xff])))));
    }

    [Fact]
    public void Every_tricky_key_survives_expiry_rename_a_snapshot_and_a_replay()
    {
        for (var i = 0; i < Keys.Length; i++)
            _p.Run(new SetValue(Keys[i], Text("v" + i), i % 2 == 0 ? Expiry.After(TimeSpan.FromHours(1)) : Expiry.Sliding(TimeSpan.FromHours(1))));
        _p.Run(new RenameKey(Keys[0], new CacheKey([0xff, 0x00, 0xff])));
        var snapshot = _p.State.ToSnapshot();
        _p.Run(new IncrementBy(new CacheKey([0xfe, 0xfe]), 5));

        foreach (var recovered in new[] { _p.Recover(), _p.Recover(snapshot, skipEvents: Keys.Length + 1) })
        {
            var reads = new PartitionTestHarness(() => recovered);
            Assert.Null(TextOf(reads.Run(new GetValue(Keys[0]))));
            Assert.Equal("v0", TextOf(reads.Run(new GetValue(new CacheKey([0xff, 0x00, 0xff])))));
            for (var i = 1; i < Keys.Length; i++)
                Assert.Equal("v" + i, TextOf(reads.Run(new GetValue(Keys[i]))));
            Assert.Equal(new CounterValue(Keys.Length + 1), reads.Run(new CountPart(0)));
            Assert.Equal(new CounterValue(6), reads.Run(new IncrementBy(new CacheKey([0xfe, 0xfe]), 1)));
        }
    }

    [Fact]
    public void Random_binary_keys_read_back_after_their_journal_and_snapshot_went_through_the_stored_format()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var keys = new HashSet<CacheKey>();
        while (keys.Count < 2000)
            keys.Add(new CacheKey(Enumerable.Range(0, random.Next(1, 12)).Select(_ => (byte)random.Next(256)).ToArray()));
        var values = keys.ToDictionary(k => k, k => Convert.ToHexString(k.AsSpan()));
        foreach (var (key, value) in values)
            _p.Run(new SetValue(key, Text(value)));

        // As recovery reads them: every event and a snapshot through the serializer that stores them.
        var stored = new StoredDataSerializer(null!);
        T Stored<T>(T data) where T : notnull => (T)stored.FromBinary(stored.ToBinary(data), stored.Manifest(data));
        var fromJournal = new PartitionState(new PartitionLimits(64, 1024));
        foreach (var evt in _p.Journal)
            fromJournal.Apply(Stored(evt));
        var fromSnapshot = new PartitionState(new PartitionLimits(64, 1024));
        fromSnapshot.Restore(Stored(_p.State.ToSnapshot()));

        foreach (var recovered in new[] { fromJournal, fromSnapshot })
        {
            var reads = new PartitionTestHarness(() => recovered);
            Assert.Equal(new CounterValue(keys.Count), reads.Run(new CountPart(0)));
            foreach (var (key, value) in values)
                Assert.True(value == TextOf(reads.Run(new GetValue(key))), $"seed {seed}: key {key} read back another value");
        }
    }

    [Fact]
    public void Scan_pages_through_binary_keys_in_byte_order_without_losing_one()
    {
        foreach (var key in Keys)
            _p.Run(new SetValue(key, Text("v")));
        var seen = new List<CacheKey>();
        CacheKey? after = null;
        do
        {
            var page = Assert.IsType<PartPage>(_p.Run(new ScanPart(0, after, 3)));
            seen.AddRange(page.Keys);
            after = page.Next;
        }
        while (after is not null);
        Assert.Equal(Keys.Order(), seen);
    }
}
