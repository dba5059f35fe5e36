using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Actors.Serialization;
using DistCache.Protocol;
using static DistCache.Tests.Serialization.StoredFormatFixtures;

namespace DistCache.Tests.Serialization;

/// <summary>Stored data written by earlier releases must read back to the same keys, and writing what
/// was read must give the very same bytes (so a recovered partition's next snapshot is what it was).</summary>
public sealed class StoredFormatGoldenTests : Akka.TestKit.Xunit2.TestKit
{
    private StoredDataSerializer Serializer => new((ExtendedActorSystem)Sys);

    private object Read(string hex, string manifest) => Serializer.FromBinary(Convert.FromHexString(hex), manifest);

    private void AssertRewritesTo(string hex, object read) => Assert.Equal(hex, Convert.ToHexString(Serializer.ToBinary(read)));

    [Fact]
    public void A_format_3_write_reads_back_its_utf8_keys_and_rewrites_the_same_bytes()
    {
        var changed = Assert.IsType<PartitionChanged>(Read(Changed3, "pc"));
        Assert.Equal(Guid.Parse(RequestId), changed.RequestId);
        Assert.Equal(new CounterValue(7), changed.Reply);
        var set = Assert.IsType<EntrySet>(changed.Changes[0]);
        Assert.Equal(("ключ", 1_800_000_000_000L, "v"), (set.Key.ToString(), set.ExpiresAt, System.Text.Encoding.UTF8.GetString(set.Value.Data)));
        var removed = Assert.IsType<EntryRemoved>(changed.Changes[1]);
        Assert.Equal(("😀k", true), (removed.Key.ToString(), removed.Evicted));
        Assert.Equal("a", Assert.IsType<EntryExpiry>(changed.Changes[2]).Key.ToString());
        AssertRewritesTo(Changed3, changed);
    }

    [Fact]
    public void A_format_5_sliding_write_and_a_format_4_burst_read_back_their_keys()
    {
        var sliding = Assert.IsType<PartitionChanged>(Read(Sliding5, "pc"));
        Assert.Equal("s", Assert.IsType<EntrySliding>(sliding.Changes[1]).Key.ToString());
        AssertRewritesTo(Sliding5, sliding);

        var burst = Assert.IsType<PartitionBurst>(Read(Burst4, "pb"));
        Assert.Equal("ключ", Assert.IsType<EntrySet>(burst.Writes[0].Changes[0]).Key.ToString());
        Assert.Equal("ключ", Assert.IsType<EntryRemoved>(burst.Writes[1].Changes[0]).Key.ToString());
        AssertRewritesTo(Burst4, burst);
    }

    [Fact]
    public void Format_3_and_5_snapshots_read_back_their_keys_versions_and_windows()
    {
        var snapshot3 = Assert.IsType<PartitionSnapshot>(Read(Snapshot3, "ps"));
        Assert.Equal(["ключ", "😀k"], snapshot3.Entries.Select(e => e.Key.ToString()));
        Assert.Equal([3L, 4L], snapshot3.Entries.Select(e => e.Version));
        Assert.Equal((5L, 1L), (snapshot3.NextVersion, snapshot3.Evictions));
        AssertRewritesTo(Snapshot3, snapshot3);

        var snapshot5 = Assert.IsType<PartitionSnapshot>(Read(Snapshot5, "ps"));
        Assert.Equal("😀k", Assert.Single(snapshot5.Sliding!).Key.ToString());
        AssertRewritesTo(Snapshot5, snapshot5);
    }

    [Fact]
    public void The_oldest_event_types_read_back_their_keys()
    {
        // Upcast as they are read: the write each was, with the reply a retry of it gets.
        var written = Assert.IsType<PartitionChanged>(Read(ValueWritten3, "vw"));
        Assert.Equal("ключ", Assert.IsType<EntrySet>(Assert.Single(written.Changes)).Key.ToString());
        var removed = Assert.IsType<PartitionChanged>(Read(KeyRemoved3, "kr"));
        Assert.Equal("😀k", Assert.IsType<EntryRemoved>(Assert.Single(removed.Changes)).Key.ToString());
        Assert.Equal(new Deleted(true), removed.Reply);
    }

    /// <summary>Format 6 pinned: set "\xff" = "one", evict "\xfe", set "k\0" (two changes, reply Stored).</summary>
    private const string BinaryKeys6 = "063C2D1E0F5A4B78698796A5B4C3D2E1F000030000000101FF01030000006F6E6500000000000000000201FE0101026B00010300000074776F0000000000000000";

    private static PartitionChanged BinaryWrite() => new(Guid.Parse(RequestId), Stored.Instance, [
        new EntrySet(new CacheKey([0xff]), new CacheValue(ValueKind.String, "one"u8.ToArray()), 0),
        new EntryRemoved(new CacheKey([0xfe]), Evicted: true),
        new EntrySet(new CacheKey([(byte)'k', 0]), new CacheValue(ValueKind.String, "two"u8.ToArray()), 0),
    ]);

    [Fact]
    public void Data_with_a_key_that_is_not_utf8_is_written_as_format_6_with_the_keys_bytes()
    {
        var bytes = Serializer.ToBinary(BinaryWrite());
        Assert.Equal(BinaryKeys6, Convert.ToHexString(bytes));
        var read = Assert.IsType<PartitionChanged>(Serializer.FromBinary(bytes, "pc"));
        Assert.Equal(new CacheKey([0xff]), Assert.IsType<EntrySet>(read.Changes[0]).Key);
        Assert.Equal(new CacheKey([0xfe]), Assert.IsType<EntryRemoved>(read.Changes[1]).Key);
        Assert.Equal(new CacheKey([(byte)'k', 0]), Assert.IsType<EntrySet>(read.Changes[2]).Key);
    }

    [Fact]
    public void A_snapshot_with_binary_keys_is_format_6_and_one_without_keeps_its_older_version()
    {
        var value = new CacheValue(ValueKind.String, "v"u8.ToArray());
        var binary = new PartitionSnapshot([new SnapshotEntry(new CacheKey([0xff]), value, 1, 0), new SnapshotEntry(new CacheKey([0xfe]), value, 2, 0)], []);
        var bytes = Serializer.ToBinary(binary);
        Assert.Equal(6, bytes[0]);
        var read = Assert.IsType<PartitionSnapshot>(Serializer.FromBinary(bytes, "ps"));
        Assert.Equal([new CacheKey([0xff]), new CacheKey([0xfe])], read.Entries.Select(e => e.Key));
        Assert.Equal(3, Serializer.ToBinary(new PartitionSnapshot([new SnapshotEntry("k", value, 1, 0)], []))[0]);
    }

    [Fact]
    public void A_key_cut_short_is_refused_not_read_as_a_shorter_key()
    {
        var bytes = Convert.FromHexString(KeyRemoved3);
        Assert.ThrowsAny<Exception>(() => Serializer.FromBinary(bytes[..4], "kr"));
    }
}
