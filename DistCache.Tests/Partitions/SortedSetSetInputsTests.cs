using System.Globalization;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

/// <summary>Plain sets as inputs of ZUNION, ZINTER, ZDIFF, ZINTERCARD and the STORE forms, as Redis 7 takes them
/// ("sets are treated as sorted sets with score 1"), decided by a <see cref="PartitionState"/> alone: the reads
/// as the Redis endpoint gathers them (a <see cref="SortedSetCombineInput"/> per key, combined by
/// <see cref="SortedSetAlgebra"/>) and the STORE forms as one partition write.</summary>
public sealed class SortedSetSetInputsTests
{
    private readonly PartitionTestHarness _p = new(() => new PartitionState(new PartitionLimits(MaxKeyBytes: 64, MaxValueBytes: 1 << 20, MaxCollectionElements: 1000)));

    public SortedSetSetInputsTests()
    {
        _p.Run(new SortedSetAdd("z", [E("a", 2), E("b", 3), E("c", 5)]));
        _p.Run(new SetAddMembers("s", ["b", "c", "d"]));
        _p.Run(new SetValue("str", PartitionTestHarness.Text("x")));
        _p.Run(new ListPush("list", [[1]], Left: true));
        _p.Run(new HashSetFields("hash", [new HashField("f", [1])]));
    }

    private static SortedSetEntry E(string member, double score) => new(member, score);

    private static string Show(IEnumerable<SortedSetEntry?> entries) =>
        string.Join(",", entries.Select(e => $"{e!.Member}:{e.Score.ToString(CultureInfo.InvariantCulture)}"));

    // What the endpoint does for ZUNION and its kin: one read per key, combined on the node asked.
    private SortedSetEntry[][] Inputs(params string[] keys) =>
        keys.Select(k => ((SortedSetEntries)_p.Run(new SortedSetCombineInput(k))).Entries.Select(e => e!).ToArray()).ToArray();

    private string Combine(SortedSetOperation operation, string[] keys, double[]? weights = null, SortedSetAggregate aggregate = SortedSetAggregate.Sum) =>
        Show(SortedSetAlgebra.Combine(operation, Inputs(keys), weights, aggregate));

    private string Range(string key) => Show(((SortedSetEntries)_p.Run(new SortedSetRangeQuery(key, new RankRange(0, -1)))).Entries);

    private static void WrongType(ICacheReply reply) => Assert.Equal(CacheErrorCode.WrongType, Assert.IsType<Rejected>(reply).Code);

    [Fact]
    public void Zunion_scores_a_set_member_1_before_weights_and_aggregate()
    {
        Assert.Equal("b:1,c:1,d:1", Show(Inputs("s")[0].OrderBy(e => e.Member)));
        Assert.Equal("d:1,a:2,b:4,c:6", Combine(SortedSetOperation.Union, ["z", "s"]));
        Assert.Equal("a:2,d:10,b:13,c:15", Combine(SortedSetOperation.Union, ["z", "s"], [1, 10]));
        Assert.Equal("b:1,c:1,d:1,a:2", Combine(SortedSetOperation.Union, ["z", "s"], aggregate: SortedSetAggregate.Min));
        Assert.Equal("b:1,c:1,d:1", Combine(SortedSetOperation.Union, ["s", "missing"]));
    }

    [Fact]
    public void Zinter_with_a_set_keeps_the_members_in_both()
    {
        Assert.Equal("b:4,c:6", Combine(SortedSetOperation.Intersect, ["z", "s"]));
        Assert.Equal("b:6,c:10", Combine(SortedSetOperation.Intersect, ["z", "s"], [2, 3], SortedSetAggregate.Max));
        Assert.Equal("b:2,c:2,d:2", Combine(SortedSetOperation.Intersect, ["s", "s"]));
        Assert.Equal("", Combine(SortedSetOperation.Intersect, ["z", "s", "missing"]));
    }

    [Fact]
    public void Zdiff_takes_a_set_from_a_zset_and_a_set_first_keeps_score_1()
    {
        Assert.Equal("a:2", Combine(SortedSetOperation.Difference, ["z", "s"]));
        Assert.Equal("d:1", Combine(SortedSetOperation.Difference, ["s", "z"]));
    }

    [Fact]
    public void Zintercard_counts_a_set_as_a_sorted_set()
    {
        Assert.Equal(2, SortedSetAlgebra.IntersectionCount(Inputs("z", "s"), 0));
        Assert.Equal(1, SortedSetAlgebra.IntersectionCount(Inputs("s", "z"), 1));
        Assert.Equal(0, SortedSetAlgebra.IntersectionCount(Inputs("s", "missing"), 0));
    }

    [Fact]
    public void Store_forms_take_a_set_and_journal_the_result_as_a_sorted_set()
    {
        Assert.Equal(new CounterValue(3), _p.Run(new SortedSetCombineStore("dest", ["s"], SortedSetOperation.Union, [2])));
        Assert.Equal("b:2,c:2,d:2", Range("dest"));
        Assert.Equal("zset", Assert.IsType<KeyDescription>(_p.Run(new DescribeKey("dest"))).Type);
        // One whole-result event, as for sorted-set sources: the journal format is unchanged.
        var stored = Assert.IsType<PartitionChanged>(_p.Journal[^1]);
        Assert.Equal("b:2,c:2,d:2", Show(Assert.IsType<ZSetReplaced>(Assert.Single(stored.Changes)).Members.OrderBy(e => e.Member)));
        Assert.Equal(new CounterValue(2), _p.Run(new SortedSetCombineStore("dest", ["z", "s"], SortedSetOperation.Intersect)));
        Assert.Equal("b:4,c:6", Range("dest"));
        Assert.Equal(new CounterValue(1), _p.Run(new SortedSetCombineStore("dest", ["z", "s"], SortedSetOperation.Difference)));
        Assert.Equal("a:2", Range("dest"));
        // The source set is read, never changed; recovery replays the same destination.
        Assert.Equal(new CounterValue(3), _p.Run(new SetLength("s")));
        var recovered = _p.Recover();
        Assert.Equal("a:2", Show(((SortedSetEntries)recovered.Decide(new SortedSetRangeQuery("dest", new RankRange(0, -1)), Guid.NewGuid()).Reply).Entries));
    }

    [Fact]
    public void A_string_list_or_hash_input_is_wrongtype_and_changes_nothing()
    {
        WrongType(_p.Run(new SortedSetCombineInput("str")));
        WrongType(_p.Run(new SortedSetCombineInput("list")));
        WrongType(_p.Run(new SortedSetCombineInput("hash")));
        Assert.Empty(((SortedSetEntries)_p.Run(new SortedSetCombineInput("missing"))).Entries);
        var journaled = _p.Journal.Count;
        WrongType(_p.Run(new SortedSetCombineStore("dest", ["z", "str"], SortedSetOperation.Union)));
        WrongType(_p.Run(new SortedSetCombineStore("dest", ["s", "list"], SortedSetOperation.Intersect)));
        Assert.Equal(journaled, _p.Journal.Count);
        Assert.Equal(new KeyDescription("none", null), _p.Run(new DescribeKey("dest")));
    }
}
