using System.Text;
using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Actors.Serialization;
using DistCache.Protocol;

namespace DistCache.Tests.Serialization;

/// <summary>Lists in the stored format (8): their change events, pop replies and snapshot entries round-trip,
/// are pinned byte for byte, data without a list keeps its older version, and a partition rebuilt from the
/// stored bytes of its events or of its snapshot equals the original.</summary>
public sealed class ListStoredFormatTests : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Format 8 "pc", reply 7 (popped "a"): "l" pushed b, c at the head; trimmed 1 from the head and
    /// 2 from the tail; element 3 set to "x"; "l2" replaced by "a", expiring at 1.8e12. Pinned so a later
    /// serializer cannot change the layout.</summary>
    private const string ListChanged8 =
        "0800000000000000000000000000000000070100000001610400000009016C0102000000016201630A016C010000000000000002000000000000000B016C0001000000" +
        "03000000000000000100000001780C026C320100000001610050" + "5C18A3010000";

    /// <summary>Format 8 "ps": string "s" = "v" (version 1), list "l" [a, bb] (version 2, expiring at 1.8e12),
    /// one remembered LMPOP reply ("l": "z").</summary>
    private const string ListSnapshot8 =
        "0802000000017301010000007601000000000000000000000000000000016C41020000000161026262020000000000000000" +
        "505C18A3010000010000000000000000000000000000000000000008016C01000000017A0300000000000000000000000000000000000000";

    private StoredDataSerializer Serializer => new((ExtendedActorSystem)Sys);

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private object RoundTrip(object value) => Serializer.FromBinary(Serializer.ToBinary(value), Serializer.Manifest(value));

    private static PartitionChanged ListWrite() => new(Guid.Empty, new ListItems([B("a")]), [
        new ListPushed("l", true, [B("b"), B("c")]),
        new ListTrimmed("l", 1, 2),
        new ListEdited("l", ListEditKind.Set, [3], B("x")),
        new ListReplaced("l2", [B("a")], 1_800_000_000_000),
    ]);

    private static PartitionSnapshot ListSnapshot() => new(
        [new SnapshotEntry("s", new CacheValue(ValueKind.String, "v"u8.ToArray()), 1, 0), new SnapshotEntry("l", SnapshotEntry.NoValue, 2, 1_800_000_000_000, List: [B("a"), B("bb")])],
        [new(Guid.Empty, new KeyedListItems("l", [B("z")]))], NextVersion: 3);

    [Fact]
    public void List_changes_and_pop_replies_are_format_8_and_read_back_change_by_change()
    {
        var bytes = Serializer.ToBinary(ListWrite());
        Assert.Equal(8, bytes[0]);
        Assert.Equal(ListChanged8, Convert.ToHexString(bytes));
        var read = Assert.IsType<PartitionChanged>(Serializer.FromBinary(bytes, "pc"));
        Assert.Equal(["a"], Assert.IsType<ListItems>(read.Reply).Items!.Select(Encoding.UTF8.GetString));
        var pushed = Assert.IsType<ListPushed>(read.Changes[0]);
        Assert.Equal(("l", true, "b,c"), (pushed.Key.ToString(), pushed.Left, string.Join(",", pushed.Elements.Select(Encoding.UTF8.GetString))));
        Assert.Equal(new ListTrimmed("l", 1, 2), read.Changes[1]);
        var edited = Assert.IsType<ListEdited>(read.Changes[2]);
        Assert.Equal((ListEditKind.Set, 3L, "x"), (edited.Kind, Assert.Single(edited.Indexes), Encoding.UTF8.GetString(edited.Element!)));
        var replaced = Assert.IsType<ListReplaced>(read.Changes[3]);
        Assert.Equal(("l2", 1_800_000_000_000L, 1), (replaced.Key.ToString(), replaced.ExpiresAt, replaced.Elements.Length));
        var removal = Assert.IsType<ListEdited>(Assert.Single(Assert.IsType<PartitionChanged>(RoundTrip(
            new PartitionChanged(Guid.Empty, new CounterValue(2), [new ListEdited("l", ListEditKind.Remove, [0, 4], null)]))).Changes));
        Assert.Equal([0L, 4L], removal.Indexes);
        Assert.Null(removal.Element);
        // A pop that empties its list journals only a removal, but its reply holds elements: still format 8.
        var emptied = new PartitionChanged(Guid.NewGuid(), new KeyedListItems("l", [B("a")]), [new EntryRemoved("l")]);
        Assert.Equal(8, Serializer.ToBinary(emptied)[0]);
        Assert.Equal("l", Assert.IsType<KeyedListItems>(Assert.IsType<PartitionChanged>(RoundTrip(emptied)).Reply).Key.ToString());
        var burst = Assert.IsType<PartitionBurst>(RoundTrip(new PartitionBurst([ListWrite(), ListWrite()])));
        Assert.IsType<ListReplaced>(burst.Writes[1].Changes[3]);
    }

    [Fact]
    public void A_snapshot_with_a_list_is_format_8_and_one_with_hashes_only_keeps_format_7()
    {
        var bytes = Serializer.ToBinary(ListSnapshot());
        Assert.Equal(ListSnapshot8, Convert.ToHexString(bytes));
        var read = Assert.IsType<PartitionSnapshot>(Serializer.FromBinary(bytes, "ps"));
        Assert.Null(read.Entries[0].List);
        var list = read.Entries[1];
        Assert.Equal(("l", 2L, 1_800_000_000_000L, "a,bb"), (list.Key.ToString(), list.Version, list.ExpiresAt, string.Join(",", list.List!.Select(Encoding.UTF8.GetString))));
        Assert.Equal("l", Assert.IsType<KeyedListItems>(Assert.Single(read.RecentRequests).Value).Key.ToString());
        var hashOnly = new PartitionSnapshot([new SnapshotEntry("h", SnapshotEntry.NoValue, 2, 0, [new HashField("a", B("1"))])], []);
        Assert.Equal(7, Serializer.ToBinary(hashOnly)[0]);
        Assert.Equal(3, Serializer.ToBinary(new PartitionSnapshot([ListSnapshot().Entries[0]], []))[0]);
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
        Do(new ListPush("l", Enumerable.Range(0, 300).Select(i => B("e" + i % 7)).ToArray(), Left: false));
        Do(new ListPush("l", [B("head")], Left: true));
        Do(new ListPop("l", Left: false, Count: 3));
        Do(new ListRemove("l", 5, B("e3")));
        Do(new ListInsert("l", Before: true, B("e4"), B("ins")));
        Do(new ListSetIndex("l", 10, B("set")));
        Do(new ListTrim("l", 2, -3));
        Do(new ListPush(new CacheKey([0xff, 0]), [[0x80, 0]], Left: true));
        Do(new ListMove("l", "m", FromLeft: true, ToLeft: false));
        Do(new CopyKey("l", "l-copy"));
        Do(new ExpireKey("l-copy", Expiry.AtUnixMilliseconds(4_000_000_000_000)));
        Do(new ListMultiPop(["m"], Left: true));

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
        $"{e.Key} v{e.Version} x{e.ExpiresAt} " + (e.List is { } l
            ? "list " + string.Join(",", l.Select(Convert.ToHexString))
            : "string " + Convert.ToHexString(e.Value.Data))));
}
