using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

public class PartitionStateTests
{
    private readonly PartitionState _state = new(new PartitionLimits(MaxKeyBytes: 16, MaxValueBytes: 32));

    private static CacheValue Text(string s) => new(ValueKind.String, Encoding.UTF8.GetBytes(s));

    private ICacheReply Run(ICacheCommand command)
    {
        var decision = _state.Decide(command);
        if (decision.Event is not null)
            _state.Apply(decision.Event);
        return decision.Reply;
    }

    [Fact]
    public void Set_then_get_returns_the_value()
    {
        Assert.Equal(Stored.Instance, Run(new SetValue("k", Text("v"))));
        var found = Assert.IsType<Found>(Run(new GetValue("k")));
        Assert.Equal("v", Encoding.UTF8.GetString(found.Value!.Data));
    }

    [Fact]
    public void Get_of_missing_key_finds_nothing() =>
        Assert.Null(Assert.IsType<Found>(Run(new GetValue("nope"))).Value);

    [Fact]
    public void Delete_says_whether_the_key_existed_and_journals_only_real_deletes()
    {
        Run(new SetValue("k", Text("v")));
        Assert.Equal(new Deleted(true), Run(new DeleteKey("k")));
        var second = _state.Decide(new DeleteKey("k"));
        Assert.Equal(new Deleted(false), second.Reply);
        Assert.Null(second.Event);
        Assert.Equal(new Existence(false), Run(new KeyExists("k")));
    }

    [Fact]
    public void Reads_produce_no_event()
    {
        Run(new SetValue("k", Text("v")));
        Assert.Null(_state.Decide(new GetValue("k")).Event);
        Assert.Null(_state.Decide(new KeyExists("k")).Event);
    }

    [Fact]
    public void Incr_on_missing_key_starts_at_zero()
    {
        Assert.Equal(new CounterValue(1), Run(new IncrementBy("c", 1)));
        Assert.Equal(new CounterValue(11), Run(new IncrementBy("c", 10)));
        Assert.Equal(new CounterValue(-4), Run(new IncrementBy("c", -15)));
    }

    [Fact]
    public void Incr_on_a_string_that_spells_an_integer_counts_from_it()
    {
        Run(new SetValue("c", Text("41")));
        Assert.Equal(new CounterValue(42), Run(new IncrementBy("c", 1)));
        var found = Assert.IsType<Found>(Run(new GetValue("c")));
        Assert.Equal(ValueKind.Int64, found.Value!.Kind);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("1.5")]
    [InlineData(" 5")]
    [InlineData("+5")]
    [InlineData("99999999999999999999")]
    public void Incr_on_a_non_integer_is_rejected_and_changes_nothing(string stored)
    {
        Run(new SetValue("c", Text(stored)));
        var decision = _state.Decide(new IncrementBy("c", 1));
        Assert.Null(decision.Event);
        Assert.Equal(CacheErrorCode.NotAnInteger, Assert.IsType<Rejected>(decision.Reply).Code);
        Assert.Equal(stored, Encoding.UTF8.GetString(Assert.IsType<Found>(Run(new GetValue("c"))).Value!.Data));
    }

    [Theory]
    [InlineData(long.MaxValue, 1)]
    [InlineData(long.MinValue, -1)]
    public void Incr_overflow_is_rejected_and_keeps_the_old_value(long start, long delta)
    {
        Run(new SetValue("c", IntegerValue.From(start)));
        var decision = _state.Decide(new IncrementBy("c", delta));
        Assert.Null(decision.Event);
        Assert.Equal(CacheErrorCode.IntegerOverflow, Assert.IsType<Rejected>(decision.Reply).Code);
        Assert.True(IntegerValue.TryRead(Assert.IsType<Found>(Run(new GetValue("c"))).Value!, out var now));
        Assert.Equal(start, now);
    }

    private ICacheReply RunOnce(ICacheCommand command, Guid requestId)
    {
        var decision = _state.Decide(command, requestId);
        if (decision.Event is not null)
            _state.Apply(decision.Event);
        return decision.Reply;
    }

    [Fact]
    public void A_retried_write_gets_its_original_reply_and_is_not_applied_twice()
    {
        var id = Guid.NewGuid();
        Assert.Equal(new CounterValue(1), RunOnce(new IncrementBy("c", 1), id));
        Assert.Equal(new CounterValue(2), RunOnce(new IncrementBy("c", 1), Guid.NewGuid()));

        var retry = _state.Decide(new IncrementBy("c", 1), id);
        Assert.Null(retry.Event);
        Assert.Equal(new CounterValue(1), retry.Reply);
        Assert.Equal(new CounterValue(3), RunOnce(new IncrementBy("c", 1), Guid.NewGuid()));

        var delete = Guid.NewGuid();
        Assert.Equal(new Deleted(true), RunOnce(new DeleteKey("c"), delete));
        Assert.Equal(new Deleted(true), RunOnce(new DeleteKey("c"), delete));
    }

    [Fact]
    public void The_request_window_survives_a_snapshot_and_forgets_the_oldest_ids()
    {
        var small = new PartitionState(PartitionLimits.Default, requestWindow: 2);
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids)
            small.Apply(small.Decide(new IncrementBy("c", 1), id).Event!);

        var copy = new PartitionState(PartitionLimits.Default, requestWindow: 2);
        copy.Restore(small.ToSnapshot());
        Assert.Equal(new CounterValue(2), copy.Decide(new IncrementBy("c", 1), ids[1]).Reply);
        Assert.Equal(new CounterValue(3), copy.Decide(new IncrementBy("c", 1), ids[2]).Reply);
        // The oldest id fell out of the window: a retry that late is applied again.
        Assert.NotNull(copy.Decide(new IncrementBy("c", 1), ids[0]).Event);
    }

    [Fact]
    public void Snapshot_restores_every_entry()
    {
        Run(new SetValue("a", Text("1")));
        Run(new IncrementBy("b", 7));
        var copy = new PartitionState(PartitionLimits.Default);
        copy.Restore(_state.ToSnapshot());
        Assert.Equal(2, copy.Count);
        Assert.Equal(new CounterValue(8), copy.Decide(new IncrementBy("b", 1)).Reply);
    }
}
