using System.Diagnostics;
using System.Globalization;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

/// <summary>The sorted-set type's commands decided and applied by a <see cref="PartitionState"/> alone, no
/// ActorSystem: Redis 7's replies and edge cases (t_zset.c), what they journal, and the key rules.</summary>
public class SortedSetCommandsTests
{
    private PartitionState _state = new(new PartitionLimits(MaxKeyBytes: 64, MaxValueBytes: 4_000_000, MaxCollectionElements: 2_000_000));

    private static SortedSetEntry E(string member, double score) => new(member, score);

    private ICacheReply Run(IClientCommand command, Guid requestId = default)
    {
        var decision = _state.Decide(command, requestId);
        if (decision.Event is not null)
            _state.Apply(decision.Event);
        return decision.Reply;
    }

    private long Add(string key, params SortedSetEntry[] entries) => ((CounterValue)Run(new SortedSetAdd(key, entries))).Value;

    private string Range(string key, SortedSetRange range, bool reverse = false, long offset = 0, long limit = -1) =>
        string.Join(",", ((SortedSetEntries)Run(new SortedSetRangeQuery(key, range, reverse, offset, limit))).Entries.Select(e => $"{e!.Member}:{e.Score.ToString(CultureInfo.InvariantCulture)}"));

    private static string Show(IEnumerable<SortedSetEntry?> entries) => string.Join(",", entries.Select(e => e is null ? "nil" : $"{e.Member}:{e.Score}"));

    private static Rejected Refused(ICacheReply reply, CacheErrorCode code)
    {
        var rejected = Assert.IsType<Rejected>(reply);
        Assert.Equal(code, rejected.Code);
        return rejected;
    }

    private static ScoreRange Scores(double min, double max, bool minEx = false, bool maxEx = false) => new(min, minEx, max, maxEx);

    private static LexBound Lex(string text) => text switch
    {
        "-" => new LexBound(default, true, -1),
        "+" => new LexBound(default, true, 1),
        _ => new LexBound(text[1..], text[0] == '('),
    };

    [Fact]
    public void Zadd_orders_by_score_then_member_and_answers_what_it_added()
    {
        Assert.Equal(3, Add("z", E("b", 1), E("a", 1), E("c", 0)));
        Assert.Equal(1, Add("z", E("a", 5), E("d", double.NegativeInfinity)));
        Assert.Equal("d:-Infinity,c:0,b:1,a:5", Range("z", new RankRange(0, -1)));
        Assert.Equal(new CounterValue(4), Run(new SortedSetLength("z")));
        Assert.Equal(new CounterValue(0), Run(new SortedSetLength("missing")));
        // A member given twice takes its last score; CH counts changed members too.
        // Each pair is decided in turn, as Redis does: a changed, e added, e changed again.
        Assert.Equal(new CounterValue(3), Run(new SortedSetAdd("z", [E("a", 6), E("e", 1), E("e", 2)], Changed: true)));
        Assert.Equal("d:-Infinity,c:0,b:1,e:2,a:6", Range("z", new RankRange(0, -1)));
    }

    [Fact]
    public void Zadd_flags_follow_redis()
    {
        Add("z", E("a", 5));
        Assert.Equal(new CounterValue(1), Run(new SortedSetAdd("z", [E("a", 1), E("b", 1)], When: SortedSetWhen.IfPresent, Changed: true)));
        Assert.Equal("a:1", Range("z", new RankRange(0, -1)));
        Assert.Equal(new CounterValue(1), Run(new SortedSetAdd("z", [E("a", 9), E("b", 2)], When: SortedSetWhen.IfAbsent, Changed: true)));
        Assert.Equal("a:1,b:2", Range("z", new RankRange(0, -1)));
        // GT and LT only stop updates; new members are added.
        Assert.Equal(new CounterValue(2), Run(new SortedSetAdd("z", [E("a", 0), E("b", 3), E("c", 7)], GreaterThan: true, Changed: true)));
        Assert.Equal("a:1,b:3,c:7", Range("z", new RankRange(0, -1)));
        Assert.Equal(new CounterValue(1), Run(new SortedSetAdd("z", [E("a", 0), E("b", 4)], LessThan: true, Changed: true)));
        // XX on a missing key creates nothing.
        Assert.Equal(new CounterValue(0), Run(new SortedSetAdd("none", [E("a", 1)], When: SortedSetWhen.IfPresent)));
        Assert.Equal(new KeyDescription("none", null), Run(new DescribeKey("none")));
    }

    [Fact]
    public void Zincrby_and_zadd_incr_journal_the_new_score_and_refuse_nan()
    {
        Assert.Equal(new SortedSetScore(true, 2.5), Run(new SortedSetAdd("z", [E("a", 2.5)], Increment: true)));
        var decision = _state.Decide(new SortedSetAdd("z", [E("a", 1)], Increment: true));
        var scored = Assert.IsType<ZSetMembersScored>(Assert.Single(decision.Event!.Changes));
        Assert.Equal([E("a", 3.5)], scored.Members);
        _state.Apply(decision.Event);
        Assert.Equal(new SortedSetScore(false, 0), Run(new SortedSetAdd("z", [E("a", 1)], When: SortedSetWhen.IfAbsent, Increment: true)));
        Assert.Equal(new SortedSetScore(false, 0), Run(new SortedSetAdd("z", [E("a", -1)], GreaterThan: true, Increment: true)));
        Run(new SortedSetAdd("z", [E("i", double.PositiveInfinity)]));
        Refused(Run(new SortedSetAdd("z", [E("i", double.NegativeInfinity)], Increment: true)), CacheErrorCode.ScoreNotANumber);
        Assert.Equal(double.PositiveInfinity, ((SortedSetEntries)Run(new SortedSetScores("z", ["i"]))).Entries[0]!.Score);
    }

    [Fact]
    public void Zscore_zmscore_and_zrank_answer_null_or_minus_one_for_a_missing_member()
    {
        Add("z", E("a", 1), E("b", 2), E("c", 3));
        Assert.Equal(Show([E("b", 2), null, E("a", 1)]), Show(((SortedSetEntries)Run(new SortedSetScores("z", ["b", "x", "a"]))).Entries));
        Assert.Equal(new SortedSetRank(1, 2), Run(new SortedSetRankOf("z", "b")));
        Assert.Equal(new SortedSetRank(0, 3), Run(new SortedSetRankOf("z", "c", Reverse: true)));
        Assert.Equal(-1, ((SortedSetRank)Run(new SortedSetRankOf("z", "x"))).Rank);
        Assert.Equal(-1, ((SortedSetRank)Run(new SortedSetRankOf("nokey", "x"))).Rank);
    }

    [Fact]
    public void Ranges_by_index_score_and_lex_follow_redis()
    {
        Add("z", E("a", 1), E("b", 2), E("c", 3), E("d", 4), E("e", 5));
        Assert.Equal("d:4,e:5", Range("z", new RankRange(-2, 100)));
        Assert.Equal("", Range("z", new RankRange(3, 1)));
        Assert.Equal("", Range("z", new RankRange(5, 10)));
        Assert.Equal("e:5,d:4", Range("z", new RankRange(0, 1), reverse: true));
        Assert.Equal("b:2,c:3", Range("z", Scores(1, 3, minEx: true)));
        Assert.Equal("a:1,b:2,c:3,d:4,e:5", Range("z", Scores(double.NegativeInfinity, double.PositiveInfinity)));
        Assert.Equal("d:4,c:3", Range("z", Scores(2, 5, maxEx: true), reverse: true, offset: 0, limit: 2));
        Assert.Equal("c:3,d:4", Range("z", Scores(1, 5), offset: 2, limit: 2));
        Assert.Equal("", Range("z", Scores(3, 3, minEx: true)));
        Assert.Equal(new CounterValue(3), Run(new SortedSetCount("z", Scores(2, 4))));
        Assert.Equal(new CounterValue(0), Run(new SortedSetCount("z", Scores(6, 9))));

        Add("lex", E("a", 0), E("b", 0), E("c", 0), E("d", 0));
        Assert.Equal("a:0,b:0,c:0", Range("lex", new LexRange(Lex("-"), Lex("[c"))));
        Assert.Equal("c:0,b:0", Range("lex", new LexRange(Lex("(a"), Lex("(d")), reverse: true));
        Assert.Equal("", Range("lex", new LexRange(Lex("+"), Lex("-"))));
        Assert.Equal(new CounterValue(4), Run(new SortedSetCount("lex", new LexRange(Lex("-"), Lex("+")))));
        Assert.Equal(new CounterValue(2), Run(new SortedSetCount("lex", new LexRange(Lex("[b"), Lex("[c")))));
    }

    [Fact]
    public void Zrem_and_zremrangeby_remove_and_the_last_member_deletes_the_key()
    {
        Add("z", E("a", 1), E("b", 2), E("c", 3), E("d", 4));
        Assert.Equal(new CounterValue(1), Run(new SortedSetRemove("z", ["a", "a", "x"])));
        var decision = _state.Decide(new SortedSetRemoveRange("z", new RankRange(0, 0)));
        Assert.Equal([(CacheKey)"b"], Assert.IsType<ZSetMembersRemoved>(Assert.Single(decision.Event!.Changes)).Members);
        _state.Apply(decision.Event);
        Assert.Equal(new CounterValue(1), Run(new SortedSetRemoveRange("z", Scores(4, 4))));
        var last = _state.Decide(new SortedSetRemove("z", ["c"]));
        Assert.IsType<EntryRemoved>(Assert.Single(last.Event!.Changes));
        _state.Apply(last.Event);
        Assert.Equal(new KeyDescription("none", null), Run(new DescribeKey("z")));
    }

    [Fact]
    public void Zpop_takes_from_either_end_and_a_retry_answers_the_same_and_pops_nothing()
    {
        Add("z", E("a", 1), E("b", 2), E("c", 3));
        Assert.Equal(Show([E("a", 1)]), Show(((SortedSetEntries)Run(new SortedSetPop("z", 1))).Entries));
        var id = Guid.NewGuid();
        Assert.Equal(Show([E("c", 3), E("b", 2)]), Show(((SortedSetEntries)Run(new SortedSetPop("z", 5, Max: true), id)).Entries));
        var retry = _state.Decide(new SortedSetPop("z", 5, Max: true), id);
        Assert.Null(retry.Event);
        Assert.Equal(Show([E("c", 3), E("b", 2)]), Show(((SortedSetEntries)retry.Reply).Entries));
        Assert.Empty(((SortedSetEntries)Run(new SortedSetPop("z", 1))).Entries);
        Add("y", E("m", 1));
        var multi = (SortedSetPopped)Run(new SortedSetMultiPop(["z", "y"], 10));
        Assert.Equal((CacheKey)"y", multi.Key);
        Assert.Equal([E("m", 1)], multi.Entries);
        Assert.Null(((SortedSetPopped)Run(new SortedSetMultiPop(["z", "y"], 1))).Key);
    }

    [Fact]
    public void Store_commands_replace_the_destination_and_an_empty_result_deletes_it()
    {
        Add("a", E("x", 1), E("y", 2), E("z", 3));
        Add("b", E("y", 10), E("z", 20), E("w", 5));
        Run(new HashSetFields("dest", [new HashField("f", [1])]));
        Assert.Equal(new CounterValue(2), Run(new SortedSetRangeStore("dest", new SortedSetRangeQuery("a", new RankRange(0, 1)))));
        Assert.Equal("x:1,y:2", Range("dest", new RankRange(0, -1)));
        Assert.Equal(new CounterValue(4), Run(new SortedSetCombineStore("dest", ["a", "b"], SortedSetOperation.Union)));
        Assert.Equal("x:1,w:5,y:12,z:23", Range("dest", new RankRange(0, -1)));
        Run(new SortedSetCombineStore("dest", ["a", "b"], SortedSetOperation.Intersect, [2, 1], SortedSetAggregate.Max));
        Assert.Equal("z:20,y:10", Range("dest", new RankRange(0, -1), reverse: true));
        Run(new SortedSetCombineStore("dest", ["a", "b"], SortedSetOperation.Difference));
        Assert.Equal("x:1", Range("dest", new RankRange(0, -1)));
        Assert.Equal(new CounterValue(0), Run(new SortedSetCombineStore("dest", ["a", "missing"], SortedSetOperation.Intersect)));
        Assert.Equal(new KeyDescription("none", null), Run(new DescribeKey("dest")));
        Run(new SetValue("s", new CacheValue(ValueKind.String, [1])));
        Refused(Run(new SortedSetCombineStore("dest", ["a", "s"], SortedSetOperation.Union)), CacheErrorCode.WrongType);
    }

    [Fact]
    public void Algebra_makes_nan_zero_as_redis_does()
    {
        var result = SortedSetAlgebra.Combine(SortedSetOperation.Union, [[E("a", double.PositiveInfinity)], [E("a", double.NegativeInfinity)]], null, SortedSetAggregate.Sum);
        Assert.Equal([E("a", 0)], result);
        Assert.Equal([E("a", 0)], SortedSetAlgebra.Combine(SortedSetOperation.Union, [[E("a", double.PositiveInfinity)]], [0], SortedSetAggregate.Sum));
        Assert.Equal(1, SortedSetAlgebra.IntersectionCount([[E("a", 1), E("b", 1)], [E("a", 1), E("b", 2)]], 1));
        Assert.Equal(2, SortedSetAlgebra.IntersectionCount([[E("a", 1), E("b", 1)], [E("a", 1), E("b", 2)]], 0));
    }

    [Fact]
    public void Wrong_type_both_ways()
    {
        Run(new SetValue("s", new CacheValue(ValueKind.String, [1])));
        Refused(Run(new SortedSetAdd("s", [E("a", 1)])), CacheErrorCode.WrongType);
        Refused(Run(new SortedSetRangeQuery("s", new RankRange(0, -1))), CacheErrorCode.WrongType);
        Refused(Run(new SortedSetPop("s", 1)), CacheErrorCode.WrongType);
        Add("z", E("a", 1));
        Refused(Run(new GetValue("z")), CacheErrorCode.WrongType);
        Refused(Run(new HashGetAll("z")), CacheErrorCode.WrongType);
    }

    [Fact]
    public void Encoding_turns_skiplist_past_redis_thresholds_and_stays_so()
    {
        Add("z", E("a", 1));
        Assert.Equal(new KeyDescription("zset", "listpack"), Run(new DescribeKey("z")));
        Add("z", Enumerable.Range(0, 128).Select(i => E("m" + i, i)).ToArray());
        Assert.Equal(new KeyDescription("zset", "skiplist"), Run(new DescribeKey("z")));
        Run(new SortedSetRemoveRange("z", new RankRange(0, 100)));
        Assert.Equal(new KeyDescription("zset", "skiplist"), Run(new DescribeKey("z")));
        Add("long", E(new string('x', 65), 1));
        Assert.Equal(new KeyDescription("zset", "skiplist"), Run(new DescribeKey("long")));
        Run(new SetValue("s", new CacheValue(ValueKind.String, [1])));
        Assert.Equal(["long", "z"], Assert.IsType<PartPage>(Run(new ScanPart(0, null, 10, "zset"))).Keys.Select(k => k.ToString()).Order());
    }

    [Fact]
    public void Limits_refuse_and_nothing_changes()
    {
        _state = new PartitionState(new PartitionLimits(64, MaxValueBytes: 100, MaxCollectionElements: 3));
        Add("z", E("a", 1), E("b", 1), E("c", 1));
        var tooMany = Refused(Run(new SortedSetAdd("z", [E("d", 1)])), CacheErrorCode.CollectionTooLong);
        Assert.Equal((4L, 3L), (tooMany.Size, tooMany.Limit));
        Assert.Equal(new CounterValue(0), Run(new SortedSetAdd("z", [E("a", 7)])));
        Assert.Equal(new CounterValue(3), Run(new SortedSetLength("z")));
    }

    [Fact]
    public void Zrandmember_and_zscan_follow_redis()
    {
        Add("z", Enumerable.Range(0, 1000).Select(i => E("m" + i, i)).ToArray());
        Assert.Single(((SortedSetEntries)Run(new SortedSetRandomMembers("z", null))).Entries);
        var distinct = ((SortedSetEntries)Run(new SortedSetRandomMembers("z", 50))).Entries;
        Assert.Equal(50, distinct.Select(e => e!.Member).Distinct().Count());
        Assert.Equal(2000, ((SortedSetEntries)Run(new SortedSetRandomMembers("z", -2000))).Entries.Length);
        Assert.Equal(1000, ((SortedSetEntries)Run(new SortedSetRandomMembers("z", 5000))).Entries.Length);
        Assert.Empty(((SortedSetEntries)Run(new SortedSetRandomMembers("missing", 3))).Entries);
        var seen = new List<CacheKey>();
        CacheKey? after = null;
        do
        {
            var page = (SortedSetPage)Run(new SortedSetScan("z", after, 10));
            seen.AddRange(page.Entries.Select(e => e.Member));
            after = page.Next;
        }
        while (after is not null);
        Assert.Equal(1000, seen.Distinct().Count());
        Assert.Equal(1000, seen.Count);
    }

    [Fact]
    public void The_index_matches_a_sorted_list_through_random_changes()
    {
        var set = new SortedSetValue();
        var model = new Dictionary<string, double>();
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var member = "m" + random.Next(2_000);
            if (random.Next(4) == 0)
            {
                set.Remove(member);
                model.Remove(member);
            }
            else
            {
                var score = random.Next(100);
                set.Set(member, score);
                model[member] = score;
            }
        }
        var expected = model.OrderBy(p => p.Value).ThenBy(p => (CacheKey)p.Key).Select(p => p.Key).ToList();
        Assert.Equal(expected, set.ToEntries().Select(e => e.Member.ToString()));
        for (var rank = 0; rank < expected.Count; rank += 37)
        {
            Assert.Equal(expected[rank], set.Index.At(rank)!.Member.ToString());
            Assert.Equal(rank, set.Index.RankOf(expected[rank], model[expected[rank]]));
        }
        var backwards = new List<string>();
        for (var node = set.Index.Last; node is not null; node = node.Backward)
            backwards.Add(node.Member.ToString());
        Assert.Equal(expected.AsEnumerable().Reverse(), backwards);
    }

    [Fact]
    public void Rank_and_range_by_index_agree_with_the_order_on_a_large_set()
    {
        // What they cost is the benchmark's to show (bench-types.sh), not a timed test's.
        var set = new SortedSetValue(200_000);
        for (var i = 0; i < 200_000; i++)
            set.Set("member:" + i, i);
        for (var i = 0; i < 20_000; i++)
        {
            var rank = (i * 7919) % 200_000;
            Assert.Equal(rank, set.Index.RankOf("member:" + rank, rank));
            Assert.Equal(rank, set.Index.At(rank)!.Score);
        }
        Assert.Equal("member:199998:199998,member:199999:199999", string.Join(",",
            SortedSetRanges.Select(set, new RankRange(-2, -1)).Select(n => $"{n.Member}:{n.Score}")));
    }

    [Fact]
    public void A_sorted_set_rebuilt_from_its_events_or_its_snapshot_equals_the_original()
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
        var popped = Guid.NewGuid();
        Do(new SortedSetAdd("z", [E("a", 1), E("b", 2), E("c", 3), E("d", 4)]));
        Do(new SortedSetAdd("z", [E("a", 10)], Increment: true));
        Do(new SortedSetPop("z", 1), popped);
        Do(new SortedSetRemove("z", ["c"]));
        Do(new ExpireKey("z", Expiry.AtUnixMilliseconds(4_000_000_000_000)));
        Do(new CopyKey("z", "copy"));
        Do(new SortedSetRangeStore("range", new SortedSetRangeQuery("z", new RankRange(0, 0))));

        var replayed = new PartitionState(PartitionLimits.Default);
        foreach (var e in events)
            replayed.Apply(e);
        Assert.Equal(Describe(_state), Describe(replayed));
        var restored = new PartitionState(PartitionLimits.Default);
        restored.Restore(_state.ToSnapshot());
        Assert.Equal(Describe(_state), Describe(restored));
        Assert.Equal(_state.UsedBytes, restored.UsedBytes);
        var retry = restored.Decide(new SortedSetPop("z", 1), popped);
        Assert.Null(retry.Event);
        Assert.Equal(Show([E("b", 2)]), Show(((SortedSetEntries)retry.Reply).Entries));
    }

    internal static string Describe(PartitionState state) => string.Join("\n", state.ToSnapshot().Entries.OrderBy(e => e.Key).Select(e =>
        $"{e.Key} v{e.Version} x{e.ExpiresAt} " + (e.SortedSet is { } z
            ? "zset " + string.Join(",", z.Select(m => $"{m.Member}={m.Score}"))
            : "other " + Convert.ToHexString(e.Value.Data))));

    [Fact]
    public void Memory_counts_each_member_added()
    {
        var state = new PartitionState(PartitionLimits.Default, memory: new MemoryPolicy(EvictionPolicy.AllKeysLru, () => 1_000_000_000));
        var d = state.Decide(new SortedSetAdd("z", Enumerable.Range(0, 1000).Select(i => E("m" + i, i)).ToArray()));
        state.Apply(d.Event!);
        Assert.True(state.UsedBytes >= 1000 * SortedSetValue.MemberOverheadBytes, $"{state.UsedBytes}");
        var before = state.UsedBytes;
        d = state.Decide(new SortedSetAdd("z", [E("m1", 99)]));
        state.Apply(d.Event!);
        Assert.Equal(before, state.UsedBytes);
    }

    [Fact]
    public void The_edge_refuses_what_redis_refuses_of_zadd()
    {
        var limits = new PartitionLimits(MaxKeyBytes: 16, MaxValueBytes: 32);
        var invalid = new Rejected(CacheErrorCode.InvalidArgument);
        Assert.Equal(invalid, CommandValidator.Validate(new SortedSetAdd("z", []), limits));
        Assert.Equal(invalid, CommandValidator.Validate(new SortedSetAdd("z", [E("a", 1), E("b", 1)], Increment: true), limits));
        Assert.Equal(invalid, CommandValidator.Validate(new SortedSetAdd("z", [E("a", 1)], When: SortedSetWhen.IfAbsent, GreaterThan: true), limits));
        Assert.Equal(invalid, CommandValidator.Validate(new SortedSetAdd("z", [E("a", 1)], GreaterThan: true, LessThan: true), limits));
        Assert.Equal(new Rejected(CacheErrorCode.NotAFloat), CommandValidator.Validate(new SortedSetAdd("z", [E("a", double.NaN)]), limits));
        Assert.Null(CommandValidator.Validate(new SortedSetAdd("z", [E("a", double.PositiveInfinity)]), limits));
    }
}
