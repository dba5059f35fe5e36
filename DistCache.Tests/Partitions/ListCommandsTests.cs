using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

/// <summary>The list type's commands decided and applied by a <see cref="PartitionState"/> alone, no
/// ActorSystem: Redis 7's replies and edge cases (t_list.c), what they journal, and the key rules.</summary>
public class ListCommandsTests
{
    private PartitionState _state = new(new PartitionLimits(MaxKeyBytes: 64, MaxValueBytes: 4_000_000, MaxCollectionElements: 200_000));

    private static byte[][] E(params string[] elements) => elements.Select(Encoding.UTF8.GetBytes).ToArray();

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private ICacheReply Run(IClientCommand command, Guid requestId = default)
    {
        var decision = _state.Decide(command, requestId);
        if (decision.Event is not null)
            _state.Apply(decision.Event);
        return decision.Reply;
    }

    private string[] All(string key) => Texts(Run(new ListRange(key, 0, -1)));

    private static string[] Texts(ICacheReply reply) => Assert.IsType<ListItems>(reply).Items!.Select(Encoding.UTF8.GetString).ToArray();

    private static string? Text(ICacheReply reply) => Assert.IsType<Found>(reply).Value is { } v ? Encoding.UTF8.GetString(v.Data) : null;

    private static void Refused(ICacheReply reply, CacheErrorCode code) => Assert.Equal(code, Assert.IsType<Rejected>(reply).Code);

    [Fact]
    public void Lpush_puts_each_element_at_the_head_and_rpush_at_the_tail()
    {
        Assert.Equal(new CounterValue(3), Run(new ListPush("l", E("a", "b", "c"), Left: true)));
        Assert.Equal(new CounterValue(5), Run(new ListPush("l", E("d", "e"), Left: false)));
        Assert.Equal(["c", "b", "a", "d", "e"], All("l"));
        Assert.Equal(new CounterValue(0), Run(new ListPush("none", E("x"), Left: true, IfExists: true)));
        Assert.Equal(new KeyDescription("none", null), Run(new DescribeKey("none")));
        Assert.Equal(new CounterValue(6), Run(new ListPush("l", E("f"), Left: false, IfExists: true)));
        Assert.Equal(new CounterValue(6), Run(new ListLength("l")));
        Assert.Equal(new CounterValue(0), Run(new ListLength("none")));
    }

    [Fact]
    public void Pops_take_from_either_end_with_redis_replies_for_missing_keys_and_count_zero()
    {
        Run(new ListPush("l", E("a", "b", "c", "d"), Left: false));
        Assert.Equal("a", Text(Run(new ListPop("l", Left: true))));
        Assert.Equal(["d", "c"], Texts(Run(new ListPop("l", Left: false, Count: 2))));
        Assert.Equal(new ListItems([]), Run(new ListPop("l", Left: true, Count: 0)));
        Assert.Equal(new Found(null), Run(new ListPop("none", Left: true)));
        Assert.Equal(new ListItems(null), Run(new ListPop("none", Left: true, Count: 0)));
        Assert.Equal(new ListItems(null), Run(new ListPop("none", Left: true, Count: 3)));
        // Asking for more than there is takes all, and the empty list's key goes.
        Assert.Equal(["b"], Texts(Run(new ListPop("l", Left: true, Count: 10))));
        Assert.Equal(new KeyDescription("none", null), Run(new DescribeKey("l")));
    }

    [Fact]
    public void A_retried_pop_gets_the_same_elements_and_pops_nothing_more()
    {
        Run(new ListPush("q", E("1", "2", "3", "4"), Left: false));
        var id = Guid.NewGuid();
        Assert.Equal(["1", "2"], Texts(Run(new ListPop("q", Left: true, Count: 2), id)));
        var retry = _state.Decide(new ListPop("q", Left: true, Count: 2), id);
        Assert.Null(retry.Event);
        Assert.Equal(["1", "2"], Texts(retry.Reply));
        Assert.Equal(["3", "4"], All("q"));
    }

    [Fact]
    public void Lindex_lset_and_lrange_follow_redis_index_rules()
    {
        Run(new ListPush("l", E("a", "b", "c", "d", "e"), Left: false));
        Assert.Equal("a", Text(Run(new ListIndex("l", 0))));
        Assert.Equal("e", Text(Run(new ListIndex("l", -1))));
        Assert.Null(Text(Run(new ListIndex("l", 5))));
        Assert.Null(Text(Run(new ListIndex("l", -6))));
        Assert.Equal(["b", "c", "d"], Texts(Run(new ListRange("l", 1, -2))));
        Assert.Equal(["a", "b", "c", "d", "e"], Texts(Run(new ListRange("l", -100, 100))));
        Assert.Empty(Texts(Run(new ListRange("l", 3, 1))));
        Assert.Empty(Texts(Run(new ListRange("l", 5, 10))));
        Assert.Empty(Texts(Run(new ListRange("none", 0, -1))));
        Assert.Equal(Stored.Instance, Run(new ListSetIndex("l", -2, B("D"))));
        Assert.Equal("D", Text(Run(new ListIndex("l", 3))));
        Refused(Run(new ListSetIndex("l", 5, B("x"))), CacheErrorCode.IndexOutOfRange);
        Refused(Run(new ListSetIndex("none", 0, B("x"))), CacheErrorCode.NoSuchKey);
    }

    [Fact]
    public void Ltrim_keeps_the_range_and_an_empty_range_deletes_the_key()
    {
        Run(new ListPush("l", E("a", "b", "c", "d", "e"), Left: false));
        var trim = _state.Decide(new ListTrim("l", 1, -2));
        Assert.Equal(new ListTrimmed("l", 1, 1), Assert.Single(trim.Event!.Changes));
        _state.Apply(trim.Event);
        Assert.Equal(["b", "c", "d"], All("l"));
        Assert.Equal(Stored.Instance, Run(new ListTrim("l", 0, 100)));
        Assert.Equal(["b", "c", "d"], All("l"));
        Assert.Equal(Stored.Instance, Run(new ListTrim("none", 0, 1)));
        Assert.Equal(Stored.Instance, Run(new ListTrim("l", 2, 1)));
        Assert.Equal(new KeyDescription("none", null), Run(new DescribeKey("l")));
    }

    [Fact]
    public void Lrem_removes_from_the_head_the_tail_or_everywhere()
    {
        Run(new ListPush("l", E("x", "a", "x", "b", "x", "c", "x"), Left: false));
        Assert.Equal(new CounterValue(2), Run(new ListRemove("l", 2, B("x"))));
        Assert.Equal(["a", "b", "x", "c", "x"], All("l"));
        Assert.Equal(new CounterValue(1), Run(new ListRemove("l", -1, B("x"))));
        Assert.Equal(["a", "b", "x", "c"], All("l"));
        Assert.Equal(new CounterValue(0), Run(new ListRemove("l", 0, B("zz"))));
        Assert.Equal(new CounterValue(1), Run(new ListRemove("l", 0, B("x"))));
        Assert.Equal(new CounterValue(0), Run(new ListRemove("none", 0, B("x"))));
        Run(new ListRemove("l", 0, B("a")));
        Run(new ListRemove("l", 0, B("b")));
        Assert.Equal(new CounterValue(1), Run(new ListRemove("l", 0, B("c"))));
        Assert.Equal(new KeyDescription("none", null), Run(new DescribeKey("l")));
    }

    [Fact]
    public void Linsert_puts_the_element_by_the_first_pivot_and_says_when_it_cannot()
    {
        Run(new ListPush("l", E("a", "p", "b", "p"), Left: false));
        Assert.Equal(new CounterValue(5), Run(new ListInsert("l", Before: true, B("p"), B("x"))));
        Assert.Equal(new CounterValue(6), Run(new ListInsert("l", Before: false, B("p"), B("y"))));
        Assert.Equal(["a", "x", "p", "y", "b", "p"], All("l"));
        Assert.Equal(new CounterValue(-1), Run(new ListInsert("l", Before: true, B("zz"), B("x"))));
        Assert.Equal(new CounterValue(0), Run(new ListInsert("none", Before: true, B("p"), B("x"))));
        var insert = _state.Decide(new ListInsert("l", Before: false, B("b"), B("z")));
        // The position, not the pivot: replay never searches.
        Assert.Equal(ListEditKind.Insert, Assert.IsType<ListEdited>(Assert.Single(insert.Event!.Changes)).Kind);
        Assert.Equal([5L], ((ListEdited)insert.Event.Changes[0]).Indexes);
    }

    [Fact]
    public void Lpos_follows_rank_count_and_maxlen()
    {
        Run(new ListPush("l", E("a", "b", "c", "1", "2", "3", "c", "c"), Left: false));
        long[] Pos(long rank = 1, long count = 1, long maxLen = 0) => Assert.IsType<ListPositions>(Run(new ListPosition("l", B("c"), rank, count, maxLen))).Positions;
        Assert.Equal([2L], Pos());
        Assert.Equal([6L], Pos(rank: 2));
        Assert.Equal([2L, 6L, 7L], Pos(count: 0));
        Assert.Equal([6L, 7L], Pos(rank: 2, count: 0));
        Assert.Equal([7L, 6L], Pos(rank: -1, count: 2));
        Assert.Equal([2L], Pos(count: 0, maxLen: 3));
        Assert.Empty(Pos(count: 0, maxLen: 2));
        Assert.Empty(Pos(rank: 4));
        Assert.Empty(Assert.IsType<ListPositions>(Run(new ListPosition("none", B("c")))).Positions);
    }

    [Fact]
    public void Lmove_moves_between_lists_and_rotates_one()
    {
        Run(new ListPush("src", E("a", "b", "c"), Left: false));
        Assert.Equal("c", Text(Run(new ListMove("src", "dst", FromLeft: false, ToLeft: true))));
        Assert.Equal("a", Text(Run(new ListMove("src", "dst", FromLeft: true, ToLeft: false))));
        Assert.Equal(["b"], All("src"));
        Assert.Equal(["c", "a"], All("dst"));
        Assert.Equal("b", Text(Run(new ListMove("src", "dst", FromLeft: true, ToLeft: true))));
        Assert.Equal(new KeyDescription("none", null), Run(new DescribeKey("src")));
        Assert.Equal(new Found(null), Run(new ListMove("src", "dst", FromLeft: true, ToLeft: true)));
        // A list that is its own destination rotates.
        Assert.Equal("a", Text(Run(new ListMove("dst", "dst", FromLeft: false, ToLeft: true))));
        Assert.Equal(["a", "b", "c"], All("dst"));
        Run(new SetValue("s", new CacheValue(ValueKind.String, B("v"))));
        Refused(Run(new ListMove("dst", "s", FromLeft: true, ToLeft: true)), CacheErrorCode.WrongType);
        Assert.Equal(["a", "b", "c"], All("dst"));
        // A missing source answers nil before the destination's type is looked at, as Redis.
        Assert.Equal(new Found(null), Run(new ListMove("none", "s", FromLeft: true, ToLeft: true)));
    }

    [Fact]
    public void A_single_element_list_rotated_onto_itself_keeps_its_expiry()
    {
        Run(new ListPush("one", E("a"), Left: false));
        Run(new ExpireKey("one", new Expiry(ExpiryKind.After, 60_000)));
        Assert.Equal("a", Text(Run(new ListMove("one", "one", FromLeft: true, ToLeft: false))));
        Assert.True(((CounterValue)Run(new TimeToLive("one"))).Value > 0);
    }

    [Fact]
    public void Lmpop_pops_from_the_first_list_that_is_not_empty()
    {
        Run(new ListPush("b", E("1", "2", "3"), Left: false));
        var popped = Assert.IsType<KeyedListItems>(Run(new ListMultiPop(["a", "b", "c"], Left: false, Count: 2)));
        Assert.Equal("b", popped.Key.ToString());
        Assert.Equal(["3", "2"], popped.Items.Select(Encoding.UTF8.GetString));
        Assert.Equal(new KeyedListItems(null, []), Run(new ListMultiPop(["a", "c"], Left: true)));
        Run(new SetValue("s", new CacheValue(ValueKind.String, B("v"))));
        Refused(Run(new ListMultiPop(["a", "s", "b"], Left: true)), CacheErrorCode.WrongType);
    }

    [Fact]
    public void String_commands_on_a_list_and_list_commands_on_a_string_answer_wrongtype()
    {
        Run(new ListPush("l", E("a"), Left: true));
        Run(new SetValue("s", new CacheValue(ValueKind.String, B("v"))));
        Refused(Run(new GetValue("l")), CacheErrorCode.WrongType);
        Refused(Run(new HashGetFields("l", ["f"])), CacheErrorCode.WrongType);
        foreach (var command in new IClientCommand[]
        {
            new ListPush("s", E("x"), Left: true), new ListPop("s", Left: true), new ListLength("s"), new ListIndex("s", 0),
            new ListSetIndex("s", 0, B("x")), new ListRange("s", 0, -1), new ListTrim("s", 0, 1), new ListRemove("s", 0, B("x")),
            new ListInsert("s", true, B("x"), B("y")), new ListPosition("s", B("x")), new ListMove("s", "l", true, true),
        })
            Refused(Run(command), CacheErrorCode.WrongType);
        Assert.Equal(new KeyDescription("list", "listpack"), Run(new DescribeKey("l")));
    }

    [Fact]
    public void Encoding_turns_quicklist_past_8_kb_and_back_below_half_of_it()
    {
        Run(new ListPush("l", Enumerable.Range(0, 100).Select(_ => B(new string('x', 60))).ToArray(), Left: false));
        Assert.Equal(new KeyDescription("list", "listpack"), Run(new DescribeKey("l")));
        Run(new ListPush("l", Enumerable.Range(0, 50).Select(_ => B(new string('x', 60))).ToArray(), Left: false));
        Assert.Equal(new KeyDescription("list", "quicklist"), Run(new DescribeKey("l")));
        // Below 8 KB but above half of it: still a quicklist, as Redis does not convert back yet.
        Run(new ListPop("l", Left: true, Count: 50));
        Assert.Equal(new KeyDescription("list", "quicklist"), Run(new DescribeKey("l")));
        Run(new ListPop("l", Left: true, Count: 60));
        Assert.Equal(new KeyDescription("list", "listpack"), Run(new DescribeKey("l")));
    }

    [Fact]
    public void A_write_to_a_long_list_journals_only_its_change()
    {
        Run(new ListPush("big", Enumerable.Range(0, 100_000).Select(i => B("e" + i)).ToArray(), Left: false));
        var push = _state.Decide(new ListPush("big", E("new"), Left: true));
        Assert.Equal(["new"], Assert.IsType<ListPushed>(push.Event!.Changes[0]).Elements.Select(Encoding.UTF8.GetString));
        Assert.Equal(new ListTrimmed("big", 0, 3), Assert.Single(_state.Decide(new ListPop("big", false, 3)).Event!.Changes));
        var set = Assert.IsType<ListEdited>(Assert.Single(_state.Decide(new ListSetIndex("big", -1, B("z"))).Event!.Changes));
        Assert.Equal((ListEditKind.Set, 99_999L), (set.Kind, set.Indexes[0]));
    }

    [Fact]
    public void A_list_past_its_element_or_byte_limit_is_refused_and_nothing_changes()
    {
        _state = new PartitionState(new PartitionLimits(64, MaxValueBytes: 100, MaxCollectionElements: 3));
        Run(new ListPush("l", E("a", "b", "c"), Left: false));
        Refused(Run(new ListPush("l", E("d"), Left: false)), CacheErrorCode.CollectionTooLong);
        Refused(Run(new ListInsert("l", true, B("a"), B("d"))), CacheErrorCode.CollectionTooLong);
        Refused(Run(new ListSetIndex("l", 0, B(new string('x', 99)))), CacheErrorCode.CollectionTooLarge);
        Assert.Equal(["a", "b", "c"], All("l"));
    }

    [Fact]
    public void Memory_counts_every_element_and_eviction_frees_a_list_as_one_key()
    {
        var state = new PartitionState(PartitionLimits.Default, memory: new MemoryPolicy(EvictionPolicy.AllKeysLru, () => 20_000));
        void Do(IClientCommand c) { var d = state.Decide(c); if (d.Event is not null) state.Apply(d.Event); }
        Do(new ListPush("l", E("a"), Left: true));
        var one = state.UsedBytes;
        Do(new ListPush("l", Enumerable.Range(0, 100).Select(_ => B(new string('v', 50))).ToArray(), Left: true));
        Assert.True(state.UsedBytes >= one + 100 * (50 + ListValue.ElementOverheadBytes), $"{state.UsedBytes} counts the elements");
        Do(new ListPush("other", Enumerable.Range(0, 300).Select(_ => B(new string('w', 50))).ToArray(), Left: true));
        Assert.Equal(1, state.Count);
        Assert.Equal(1, state.Evictions);
        Do(new DeleteKey("other"));
        Assert.Equal(0, state.UsedBytes);
    }

    [Fact]
    public void A_list_rebuilt_from_its_events_or_its_snapshot_equals_the_original()
    {
        var events = new List<ICacheEvent>();
        void Do(IClientCommand c, Guid id = default)
        {
            var d = _state.Decide(c, id);
            if (d.Event is null)
                return;
            _state.Apply(d.Event);
            events.Add(d.Event);
        }
        var retried = Guid.NewGuid();
        Do(new ListPush("l", E("a", "b", "c", "d", "e", "f", "b"), Left: false));
        Do(new ListPush("l", E("z"), Left: true));
        Do(new ListPop("l", Left: true, Count: 2), retried);
        Do(new ListSetIndex("l", 1, B("C")));
        Do(new ListInsert("l", Before: false, B("d"), B("d2")));
        Do(new ListRemove("l", -1, B("b")));
        Do(new ListTrim("l", 0, -2));
        Do(new ExpireKey("l", Expiry.AtUnixMilliseconds(4_000_000_000_000)));
        Do(new ListMove("l", "m", FromLeft: false, ToLeft: true));
        Do(new ListMove("m", "m", FromLeft: false, ToLeft: true));
        Do(new CopyKey("l", "copy"));
        Do(new ListMultiPop(["none", "copy"], Left: true, Count: 100));
        Do(new SetValue("s", new CacheValue(ValueKind.String, B("string"))));

        var replayed = new PartitionState(PartitionLimits.Default);
        foreach (var e in events)
            replayed.Apply(e);
        Assert.Equal(Describe(_state), Describe(replayed));
        Assert.Contains("l v", Describe(_state));

        var restored = new PartitionState(PartitionLimits.Default);
        restored.Restore(_state.ToSnapshot());
        Assert.Equal(Describe(_state), Describe(restored));
        Assert.Equal(_state.UsedBytes, restored.UsedBytes);
        var retry = restored.Decide(new ListPop("l", Left: true, Count: 2), retried);
        Assert.Null(retry.Event);
        Assert.Equal(["z", "a"], Texts(retry.Reply));
    }

    [Fact]
    public void A_snapshot_keeps_its_elements_while_the_list_goes_on_changing()
    {
        Run(new ListPush("l", E("a"), Left: true));
        var snapshot = _state.ToSnapshot();
        Run(new ListPush("l", E("b"), Left: true));
        Run(new ListSetIndex("l", 1, B("changed")));
        Assert.Equal(["a"], Assert.Single(snapshot.Entries).List!.Select(Encoding.UTF8.GetString));
    }

    // Everything a state holds, in an order of its own: keys, types, versions, expiry, elements, strings.
    private static string Describe(PartitionState state) => string.Join("\n", state.ToSnapshot().Entries.OrderBy(e => e.Key).Select(e =>
        $"{e.Key} v{e.Version} x{e.ExpiresAt} " + (e.List is { } l
            ? "list " + string.Join(",", l.Select(Encoding.UTF8.GetString))
            : "string " + Convert.ToHexString(e.Value.Data))));
}

/// <summary>The packed chunks under a list: pushes and pops at both ends, inserts, removals and sets, against a
/// plain list as the model.</summary>
public class ListValueTests
{
    [Fact]
    public void Pushes_pops_inserts_and_removals_keep_order_across_chunks()
    {
        var list = new ListValue();
        var model = new List<string>();
        var random = new Random(7);
        for (var step = 0; step < 5_000; step++)
        {
            // Short, over 127 bytes (a two-byte length) and over a chunk's 4 KB.
            var value = step % 97 == 0 ? new string('x', 5000) + step : step % 13 == 0 ? new string('y', 150) + step : "v" + step;
            switch (random.Next(6))
            {
                case 0: list.PushLeft(Encoding.UTF8.GetBytes(value)); model.Insert(0, value); break;
                case 1: list.PushRight(Encoding.UTF8.GetBytes(value)); model.Add(value); break;
                case 2 when model.Count > 0:
                    var left = random.Next(Math.Min(3, model.Count) + 1);
                    var right = random.Next(Math.Min(3, model.Count - left) + 1);
                    list.Trim(left, right);
                    model.RemoveRange(model.Count - right, right);
                    model.RemoveRange(0, left);
                    break;
                case 3:
                    var at = random.Next(model.Count + 1);
                    list.Insert(at, Encoding.UTF8.GetBytes(value));
                    model.Insert(at, value);
                    break;
                case 4 when model.Count > 2:
                    long[] gone = [0, model.Count / 2, model.Count - 1];
                    list.RemoveAt(gone);
                    foreach (var i in gone.Reverse())
                        model.RemoveAt((int)i);
                    break;
                case 5 when model.Count > 0:
                    var set = random.Next(model.Count);
                    list[set] = Encoding.UTF8.GetBytes(value);
                    model[set] = value;
                    break;
            }
            Assert.Equal(model.Count, list.Count);
            if (step % 500 == 0 && model.Count > 0)
            {
                Assert.Equal(model, list.ToArray().Select(Encoding.UTF8.GetString));
                Assert.Equal(model[^1], Encoding.UTF8.GetString(list[model.Count - 1]));
                Assert.Equal(model.AsEnumerable().Reverse(), list.SliceFromTail(model.Count).Select(Encoding.UTF8.GetString));
            }
        }
        Assert.Equal(model, list.ToArray().Select(Encoding.UTF8.GetString));
        Assert.Equal(model.Sum(m => (long)Encoding.UTF8.GetByteCount(m)), list.DataBytes);
    }
}
