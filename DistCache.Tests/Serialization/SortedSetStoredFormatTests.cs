using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Actors.Serialization;
using DistCache.Protocol;
using DistCache.Tests.Partitions;

namespace DistCache.Tests.Serialization;

/// <summary>Sorted sets in the stored format (8): their change events, pop replies and snapshot entries
/// round-trip and are pinned byte for byte, data holding only hashes stays 7, and a partition rebuilt from
/// the stored bytes of its events or of its snapshot equals the original.</summary>
public sealed class SortedSetStoredFormatTests : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Format 8 "pc", a pop's reply (b:2): "z" scored a=1.5, c=-inf; "z" loses "b"; "z2" replaced by
    /// a=1 expiring at 1.8e12. Pinned so a later serializer cannot change the layout.</summary>
    private const string SortedSetChanged8 =
        "08000000000000000000000000000000000D01000000016200000000000000400300000011017A020000000161000000000000F83F0163000000000000F0FF" +
        "12017A01000000016213027A32010000000161000000000000F03F00505C18A3010000";

    private StoredDataSerializer Serializer => new((ExtendedActorSystem)Sys);

    private static SortedSetEntry E(string member, double score) => new(member, score);

    private object RoundTrip(object value) => Serializer.FromBinary(Serializer.ToBinary(value), Serializer.Manifest(value));

    private static PartitionChanged Write() => new(Guid.Empty, new SortedSetEntries([E("b", 2)]), [
        new ZSetMembersScored("z", [E("a", 1.5), E("c", double.NegativeInfinity)]),
        new ZSetMembersRemoved("z", ["b"]),
        new ZSetReplaced("z2", [E("a", 1)], 1_800_000_000_000),
    ]);

    [Fact]
    public void Sorted_set_changes_are_format_8_and_read_back_member_by_member()
    {
        var bytes = Serializer.ToBinary(Write());
        Assert.Equal(8, bytes[0]);
        Assert.Equal(SortedSetChanged8, Convert.ToHexString(bytes));
        var read = Assert.IsType<PartitionChanged>(Serializer.FromBinary(bytes, "pc"));
        var popped = Assert.IsType<SortedSetEntries>(read.Reply);
        Assert.Equal(E("b", 2), Assert.Single(popped.Entries));
        var scored = Assert.IsType<ZSetMembersScored>(read.Changes[0]);
        Assert.Equal([E("a", 1.5), E("c", double.NegativeInfinity)], scored.Members);
        Assert.Equal([(CacheKey)"b"], Assert.IsType<ZSetMembersRemoved>(read.Changes[1]).Members);
        var replaced = Assert.IsType<ZSetReplaced>(read.Changes[2]);
        Assert.Equal(("z2", 1_800_000_000_000L), (replaced.Key.ToString(), replaced.ExpiresAt));
        Assert.IsType<ZSetReplaced>(Assert.IsType<PartitionBurst>(RoundTrip(new PartitionBurst([Write(), Write()]))).Writes[1].Changes[2]);
        // The other replies a sorted-set write journals.
        Assert.Equal(new SortedSetScore(true, 3.25), ((PartitionChanged)RoundTrip(new PartitionChanged(Guid.Empty, new SortedSetScore(true, 3.25), [new ZSetMembersScored("z", [E("a", 3.25)])]))).Reply);
        var multi = (SortedSetPopped)((PartitionChanged)RoundTrip(new PartitionChanged(Guid.Empty, new SortedSetPopped("k", [E("a", 1)]), [new EntryRemoved("k")]))).Reply!;
        Assert.Equal(((CacheKey?)"k", E("a", 1)), (multi.Key, Assert.Single(multi.Entries)));
    }

    [Fact]
    public void Data_without_a_sorted_set_keeps_its_version()
    {
        var hashOnly = new PartitionChanged(Guid.Empty, new CounterValue(1), [new HashFieldsSet("h", [new HashField("a", [1])])]);
        Assert.Equal(7, Serializer.ToBinary(hashOnly)[0]);
        var snapshot = new PartitionSnapshot([new SnapshotEntry("z", SnapshotEntry.NoValue, 2, 0, SortedSet: [E("a", 1), E("b", double.PositiveInfinity)])], []);
        var bytes = Serializer.ToBinary(snapshot);
        Assert.Equal(8, bytes[0]);
        var read = Assert.IsType<PartitionSnapshot>(Serializer.FromBinary(bytes, "ps"));
        Assert.Equal([E("a", 1), E("b", double.PositiveInfinity)], Assert.Single(read.Entries).SortedSet!);
    }

    [Fact]
    public void A_partition_rebuilt_from_stored_events_or_snapshot_equals_the_original()
    {
        var state = new PartitionState(PartitionLimits.Default);
        var stored = new List<object>();
        var popId = Guid.NewGuid();
        void Do(IClientCommand command, Guid id = default)
        {
            var decision = state.Decide(command, id);
            if (decision.Event is null)
                return;
            state.Apply(decision.Event);
            stored.Add(RoundTrip(decision.Event));
        }
        Do(new SortedSetAdd("z", Enumerable.Range(0, 300).Select(i => E("m" + i, i % 7)).ToArray()));
        Do(new SortedSetAdd("z", [E("m3", 0.5)], Increment: true));
        Do(new SortedSetPop("z", 3, Max: true), popId);
        Do(new SortedSetRemoveRange("z", new ScoreRange(2, false, 3, true)));
        Do(new CopyKey("z", "copy"));
        var replayed = new PartitionState(PartitionLimits.Default);
        foreach (ICacheEvent e in stored)
            replayed.Apply(e);
        Assert.Equal(SortedSetCommandsTests.Describe(state), SortedSetCommandsTests.Describe(replayed));
        var restored = new PartitionState(PartitionLimits.Default);
        restored.Restore((PartitionSnapshot)RoundTrip(state.ToSnapshot()));
        Assert.Equal(SortedSetCommandsTests.Describe(state), SortedSetCommandsTests.Describe(restored));
        Assert.Equal(3, ((SortedSetEntries)restored.Decide(new SortedSetPop("z", 3, Max: true), popId).Reply).Entries.Length);
    }

}
