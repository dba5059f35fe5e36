using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Actors.Serialization;
using DistCache.Protocol;
using DistCache.Tests.Partitions;

namespace DistCache.Tests.Serialization;

/// <summary>Sets in the stored format (8): their change events, SPOP's remembered reply and snapshot
/// entries round-trip and are pinned byte for byte, data with only strings and hashes keeps its older
/// version, and a partition rebuilt from the stored bytes of its events or of its snapshot equals the original.</summary>
public sealed class SetStoredFormatTests : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Format 8 "pc", reply 10 (members "a"): add "x", "y" to "s"; remove "z" of "s"; "s2" replaced
    /// by "1", expiring at 1.8e12. Pinned so a later serializer cannot change the layout.</summary>
    private const string SetChanged8 =
        "08000000000000000000000000000000000A010000000161030000000D017302000000017801790E017301000000017A0F02" +
        "733201000000013100505C18A3010000";

    /// <summary>Format 8 "ps": string "k" = "v" (version 1), set "s" {"a"} (version 2, expiring at 1.8e12), no requests.</summary>
    private const string SetSnapshot8 =
        "0802000000016B01010000007601000000000000000000000000000000017342010000000161020000000000000000505C18" +
        "A3010000000000000300000000000000000000000000000000000000";

    private StoredDataSerializer Serializer => new((ExtendedActorSystem)Sys);

    private object RoundTrip(object value) => Serializer.FromBinary(Serializer.ToBinary(value), Serializer.Manifest(value));

    private static PartitionChanged SetWrite() => new(Guid.Empty, new SetMembers(["a"]), [
        new SetMembersAdded("s", ["x", "y"]),
        new SetMembersRemoved("s", ["z"]),
        new SetReplaced("s2", ["1"], 1_800_000_000_000),
    ]);

    private static PartitionSnapshot SetSnapshot() => new(
        [new SnapshotEntry("k", new CacheValue(ValueKind.String, "v"u8.ToArray()), 1, 0), new SnapshotEntry("s", SnapshotEntry.NoValue, 2, 1_800_000_000_000, Set: ["a"])],
        [], NextVersion: 3);

    [Fact]
    public void Set_changes_are_format_8_and_read_back_member_by_member()
    {
        var bytes = Serializer.ToBinary(SetWrite());
        Assert.Equal(8, bytes[0]);
        Assert.Equal(SetChanged8, Convert.ToHexString(bytes));
        var read = Assert.IsType<PartitionChanged>(Serializer.FromBinary(bytes, "pc"));
        Assert.Equal(["a"], Assert.IsType<SetMembers>(read.Reply).Members.Select(m => m.ToString()));
        var added = Assert.IsType<SetMembersAdded>(read.Changes[0]);
        Assert.Equal(("s", "x,y"), (added.Key.ToString(), string.Join(",", added.Members)));
        Assert.Equal(["z"], Assert.IsType<SetMembersRemoved>(read.Changes[1]).Members.Select(m => m.ToString()));
        var replaced = Assert.IsType<SetReplaced>(read.Changes[2]);
        Assert.Equal(("s2", 1_800_000_000_000L, "1"), (replaced.Key.ToString(), replaced.ExpiresAt, Assert.Single(replaced.Members).ToString()));
        var burst = Assert.IsType<PartitionBurst>(RoundTrip(new PartitionBurst([SetWrite(), SetWrite()])));
        Assert.IsType<SetReplaced>(burst.Writes[1].Changes[2]);
        // SPOP emptying a set journals a removal: its reply alone makes the write format 8.
        Assert.Equal(8, Serializer.ToBinary(new PartitionChanged(Guid.NewGuid(), new SetMembers(["a"]), [new EntryRemoved("s")]))[0]);
        // Hashes only keep format 7, strings only 3.
        Assert.Equal(7, Serializer.ToBinary(new PartitionChanged(Guid.Empty, new CounterValue(1), [new HashFieldsRemoved("h", ["f"])]))[0]);
        Assert.Equal(3, Serializer.ToBinary(new PartitionChanged(Guid.Empty, Stored.Instance, [new EntrySet("k", new CacheValue(ValueKind.String, [1]), 0)]))[0]);
    }

    [Fact]
    public void A_snapshot_with_a_set_or_a_remembered_spop_is_format_8()
    {
        var bytes = Serializer.ToBinary(SetSnapshot());
        Assert.Equal(SetSnapshot8, Convert.ToHexString(bytes));
        var read = Assert.IsType<PartitionSnapshot>(Serializer.FromBinary(bytes, "ps"));
        Assert.Null(read.Entries[0].Set);
        Assert.Equal("v"u8.ToArray(), read.Entries[0].Value.Data);
        var set = read.Entries[1];
        Assert.Equal(("s", 2L, 1_800_000_000_000L, "a"), (set.Key.ToString(), set.Version, set.ExpiresAt, Assert.Single(set.Set!).ToString()));
        var withPop = new PartitionSnapshot([SetSnapshot().Entries[0]], [new(Guid.NewGuid(), new SetMembers(["p"]))]);
        var popBytes = Serializer.ToBinary(withPop);
        Assert.Equal(8, popBytes[0]);
        var reply = Assert.Single(Assert.IsType<PartitionSnapshot>(Serializer.FromBinary(popBytes, "ps")).RecentRequests).Value;
        Assert.Equal("p", Assert.Single(Assert.IsType<SetMembers>(reply).Members).ToString());
    }

    [Fact]
    public void A_partition_rebuilt_from_its_stored_events_or_its_stored_snapshot_equals_the_original()
    {
        var state = new PartitionState(PartitionLimits.Default);
        var stored = new List<(byte[] Bytes, string Manifest)>();
        var popId = Guid.NewGuid();
        ICacheReply? popped = null;
        void Do(IClientCommand command, Guid id = default)
        {
            var decision = state.Decide(command, id == default ? Guid.NewGuid() : id);
            if (id == popId)
                popped = decision.Reply;
            if (decision.Event is null)
                return;
            state.Apply(decision.Event);
            stored.Add((Serializer.ToBinary(decision.Event), Serializer.Manifest(decision.Event)));
        }
        Do(new SetAddMembers("s", Enumerable.Range(0, 300).Select(i => (CacheKey)("m" + i)).ToArray()));
        Do(new SetPop("s", 3), popId);
        Do(new SetRemoveMembers("s", ["m1", "m2"]));
        Do(new SetAddMembers(new CacheKey([0xff, 0]), [new CacheKey([0x80]), new CacheKey([])]));
        Do(new CopyKey("s", "s-copy"));
        Do(new ExpireKey("s-copy", Expiry.AtUnixMilliseconds(4_000_000_000_000)));
        Do(new SetStore("s-copy2", ["s", "s-copy"], SetOperation.Intersect));
        Do(new SetValue("k", new CacheValue(ValueKind.String, "text"u8.ToArray())));

        var fromEvents = new PartitionState(PartitionLimits.Default);
        foreach (var (bytes, manifest) in stored)
            fromEvents.Apply((ICacheEvent)Serializer.FromBinary(bytes, manifest));
        Assert.Equal(SetCommandsTests.Describe(state), SetCommandsTests.Describe(fromEvents));
        Assert.Equal(state.UsedBytes, fromEvents.UsedBytes);

        var fromSnapshot = new PartitionState(PartitionLimits.Default);
        fromSnapshot.Restore((PartitionSnapshot)RoundTrip(state.ToSnapshot()));
        Assert.Equal(SetCommandsTests.Describe(state), SetCommandsTests.Describe(fromSnapshot));
        Assert.Equal(state.UsedBytes, fromSnapshot.UsedBytes);
        foreach (var rebuilt in new[] { fromEvents, fromSnapshot })
        {
            var retry = rebuilt.Decide(new SetPop("s", 3), popId);
            Assert.Null(retry.Event);
            Assert.Equal(((SetMembers)popped!).Members, Assert.IsType<SetMembers>(retry.Reply).Members);
        }
    }
}
