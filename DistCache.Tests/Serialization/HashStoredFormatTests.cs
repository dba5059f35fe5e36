using System.Text;
using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Actors.Serialization;
using DistCache.Protocol;

namespace DistCache.Tests.Serialization;

/// <summary>Hashes in the stored format (7): their change events and snapshot entries round-trip, are
/// pinned byte for byte, data without a hash keeps its older version, and a partition rebuilt from the
/// stored bytes of its events or of its snapshot equals the original.</summary>
public sealed class HashStoredFormatTests : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Format 7 "pc", reply 2 (a counter): set "h" fields a=1, b=22; remove field "c" of "h";
    /// "h2" replaced by a=1, expiring at 1.8e12. Pinned so a later serializer cannot change the layout.</summary>
    private const string HashChanged7 =
        "070000000000000000000000000000000002020000000000000003000000060168020000000161013101620232320701680100000001630802683201000000016101310050" +
        "5C18A3010000";

    /// <summary>Format 7 "ps": string "s" = "v" (version 1), hash "h" {a=1} (version 2, expiring at 1.8e12), no requests.</summary>
    private const string HashSnapshot7 =
        "070200000001730101000000760100000000000000000000000000000001684001000000016101310200000000000000005" +
        "05C18A3010000000000000300000000000000000000000000000000000000";

    private StoredDataSerializer Serializer => new((ExtendedActorSystem)Sys);

    private static HashField F(string field, string value) => new(field, Encoding.UTF8.GetBytes(value));

    private object RoundTrip(object value) => Serializer.FromBinary(Serializer.ToBinary(value), Serializer.Manifest(value));

    private static PartitionChanged HashWrite() => new(Guid.Empty, new CounterValue(2), [
        new HashFieldsSet("h", [F("a", "1"), F("b", "22")]),
        new HashFieldsRemoved("h", ["c"]),
        new HashReplaced("h2", [F("a", "1")], 1_800_000_000_000),
    ]);

    private static PartitionSnapshot HashSnapshot() => new(
        [new SnapshotEntry("s", new CacheValue(ValueKind.String, "v"u8.ToArray()), 1, 0), new SnapshotEntry("h", SnapshotEntry.NoValue, 2, 1_800_000_000_000, [F("a", "1")])],
        [], NextVersion: 3);

    [Fact]
    public void Hash_changes_are_format_7_and_read_back_field_by_field()
    {
        var bytes = Serializer.ToBinary(HashWrite());
        Assert.Equal(7, bytes[0]);
        Assert.Equal(HashChanged7, Convert.ToHexString(bytes));
        var read = Assert.IsType<PartitionChanged>(Serializer.FromBinary(bytes, "pc"));
        Assert.Equal(new CounterValue(2), read.Reply);
        var set = Assert.IsType<HashFieldsSet>(read.Changes[0]);
        Assert.Equal(("h", "a", "1", "b", "22"), ((string)set.Key.ToString(), set.Fields[0].Field.ToString(), Encoding.UTF8.GetString(set.Fields[0].Value),
            set.Fields[1].Field.ToString(), Encoding.UTF8.GetString(set.Fields[1].Value)));
        Assert.Equal([new CacheKey("c"u8.ToArray())], Assert.IsType<HashFieldsRemoved>(read.Changes[1]).Fields);
        var replaced = Assert.IsType<HashReplaced>(read.Changes[2]);
        Assert.Equal(("h2", 1_800_000_000_000L, 1), (replaced.Key.ToString(), replaced.ExpiresAt, replaced.Fields.Length));
        // In a burst too.
        var burst = Assert.IsType<PartitionBurst>(RoundTrip(new PartitionBurst([HashWrite(), HashWrite()])));
        Assert.Equal(2, burst.Writes.Length);
        Assert.IsType<HashReplaced>(burst.Writes[1].Changes[2]);
    }

    [Fact]
    public void A_snapshot_with_a_hash_is_format_7_with_each_entrys_type_and_one_without_keeps_format_3()
    {
        var bytes = Serializer.ToBinary(HashSnapshot());
        Assert.Equal(HashSnapshot7, Convert.ToHexString(bytes));
        var read = Assert.IsType<PartitionSnapshot>(Serializer.FromBinary(bytes, "ps"));
        Assert.Null(read.Entries[0].Hash);
        Assert.Equal("v"u8.ToArray(), read.Entries[0].Value.Data);
        var hash = read.Entries[1];
        Assert.Equal(("h", 2L, 1_800_000_000_000L), (hash.Key.ToString(), hash.Version, hash.ExpiresAt));
        Assert.Equal("1", Encoding.UTF8.GetString(Assert.Single(hash.Hash!).Value));
        Assert.Equal(3, read.NextVersion);
        // Strings only: the format an older release reads.
        Assert.Equal(3, Serializer.ToBinary(new PartitionSnapshot([HashSnapshot().Entries[0]], []))[0]);
        Assert.Equal(3, Serializer.ToBinary(new PartitionChanged(Guid.Empty, Stored.Instance, [new EntrySet("k", new CacheValue(ValueKind.String, [1]), 0)]))[0]);
    }

    [Fact]
    public void A_partition_rebuilt_from_its_stored_events_or_its_stored_snapshot_equals_the_original()
    {
        var state = new PartitionState(PartitionLimits.Default);
        var stored = new List<(byte[] Bytes, string Manifest)>();
        void Do(IClientCommand command)
        {
            var decision = state.Decide(command, Guid.NewGuid());
            if (decision.Event is null)
                return;
            state.Apply(decision.Event);
            stored.Add((Serializer.ToBinary(decision.Event), Serializer.Manifest(decision.Event)));
        }
        Do(new HashSetFields("h", Enumerable.Range(0, 300).Select(i => F("f" + i, "v" + i)).ToArray()));
        Do(new HashIncrementBy("h", "n", 7));
        Do(new HashIncrementByFloat("h", "x", "2.5"));
        Do(new HashDeleteFields("h", ["f1", "f2"]));
        Do(new HashSetFields(new CacheKey([0xff, 0]), [new HashField(new CacheKey([0x80]), [0, 1, 2])]));
        Do(new CopyKey("h", "h-copy"));
        Do(new ExpireKey("h-copy", Expiry.AtUnixMilliseconds(4_000_000_000_000)));
        Do(new SetValue("s", new CacheValue(ValueKind.String, "text"u8.ToArray())));

        var fromEvents = new PartitionState(PartitionLimits.Default);
        foreach (var (bytes, manifest) in stored)
            fromEvents.Apply((ICacheEvent)Serializer.FromBinary(bytes, manifest));
        Assert.Equal(Describe(state), Describe(fromEvents));

        var fromSnapshot = new PartitionState(PartitionLimits.Default);
        fromSnapshot.Restore((PartitionSnapshot)RoundTrip(state.ToSnapshot()));
        Assert.Equal(Describe(state), Describe(fromSnapshot));
        Assert.Equal(state.UsedBytes, fromSnapshot.UsedBytes);
        Assert.Equal(state.UsedBytes, fromEvents.UsedBytes);
    }

    private static string Describe(PartitionState state) => string.Join("\n", state.ToSnapshot().Entries.OrderBy(e => e.Key).Select(e =>
        $"{e.Key} v{e.Version} x{e.ExpiresAt} " + (e.Hash is { } h
            ? "hash " + string.Join(",", h.OrderBy(f => f.Field).Select(f => $"{f.Field}={Convert.ToHexString(f.Value)}"))
            : "string " + Convert.ToHexString(e.Value.Data))));
}
