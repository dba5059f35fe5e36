using DistCache.Actors.Partitions;
using DistCache.Protocol;
using static DistCache.Tests.Partitions.PartitionTestHarness;

namespace DistCache.Tests.Partitions;

/// <summary>Writes that wait for the journal together become one event, and that event recovers the same
/// state and the same retry answers as one event per write. No actor system: the burst and the state are
/// plain classes.</summary>
public sealed class PendingBurstTests
{
    private static PartitionState NewState() => new(PartitionLimits.Default, requestWindow: 64);

    /// <summary>Runs commands the way the actor does while a journal write is in flight: decide, apply at
    /// once, and add the write to the burst.</summary>
    private static (ICacheReply[] Replies, PendingBurst Burst) RunInBurst(PartitionState state, params (IClientCommand Command, Guid Id)[] commands)
    {
        var burst = new PendingBurst();
        var replies = new ICacheReply[commands.Length];
        for (var i = 0; i < commands.Length; i++)
        {
            var decision = state.Decide(commands[i].Command, commands[i].Id);
            if (decision.Event is not null)
            {
                state.Apply(decision.Event);
                burst.Add(decision.Event, null);
            }
            replies[i] = decision.Reply;
        }
        return (replies, burst);
    }

    [Fact]
    public void A_lone_write_is_journaled_as_itself()
    {
        var burst = new PendingBurst();
        var write = new PartitionChanged(Guid.NewGuid(), Stored.Instance, [new EntrySet("k", Text("v"), 0)]);
        burst.Add(write, null);
        var closed = burst.Close();
        Assert.Same(write, closed.Event);
        Assert.Equal(1, closed.Writes);
        Assert.True(burst.IsEmpty);
    }

    [Fact]
    public void Writes_that_wait_together_become_one_event_and_their_answers_run_in_arrival_order()
    {
        var burst = new PendingBurst();
        var order = new List<string>();
        var first = new PartitionChanged(Guid.NewGuid(), Stored.Instance, [new EntrySet("a", Text("1"), 0)]);
        var second = new PartitionChanged(Guid.NewGuid(), new Deleted(true), [new EntryRemoved("b")]);
        burst.Add(first, () => order.Add("write a"));
        burst.WhenStored(() => order.Add("read a"));
        burst.Add(second, null); // acknowledged already (mode batched)
        burst.WhenStored(() => order.Add("read b"));

        var closed = burst.Close();
        var evt = Assert.IsType<PartitionBurst>(closed.Event);
        Assert.Equal([first, second], evt.Writes);
        Assert.Equal(2, closed.Writes);
        foreach (var action in closed.WhenStored)
            action();
        Assert.Equal(["write a", "read a", "read b"], order);
        Assert.True(burst.IsEmpty);
        Assert.Equal(0, burst.Bytes);
    }

    [Fact]
    public void A_read_cannot_wait_on_an_empty_burst()
    {
        var burst = new PendingBurst();
        Assert.Throws<InvalidOperationException>(() => burst.WhenStored(() => { }));
        Assert.Throws<InvalidOperationException>(() => burst.Close());
    }

    [Fact]
    public void A_burst_is_full_once_its_keys_and_values_reach_the_limit()
    {
        var burst = new PendingBurst();
        var value = new CacheValue(ValueKind.Bytes, new byte[64 * 1024]);
        var writes = 0;
        while (!burst.IsFull)
        {
            burst.Add(new PartitionChanged(Guid.NewGuid(), Stored.Instance, [new EntrySet("k" + writes, value, 0)]), null);
            writes++;
        }
        Assert.Equal(PendingBurst.MaxBytes / value.Data.Length, writes);
    }

    [Fact]
    public void A_recovered_burst_gives_the_same_state_and_the_same_retry_answers()
    {
        var live = NewState();
        var setA = Guid.NewGuid();
        var incr = Guid.NewGuid();
        var delB = Guid.NewGuid();
        var setC = Guid.NewGuid();
        var (replies, burst) = RunInBurst(live,
            (new SetValue("a", Text("1")), setA),
            (new SetValue("b", Text("2")), Guid.NewGuid()),
            (new IncrementBy("n", 5), incr),
            (new IncrementBy("n", 5), incr), // a retry within the burst: answered from the window, not applied
            (new IncrementBy("n", 1), Guid.NewGuid()),
            (new DeleteKey("b"), delB),
            (new SetValue("c", Text("3"), Expiry.After(TimeSpan.FromHours(1))), setC),
            (new SetValue("a", Text("4")), Guid.NewGuid()));
        Assert.Equal(new CounterValue(5), replies[2]);
        Assert.Equal(new CounterValue(5), replies[3]);
        Assert.Equal(new CounterValue(6), replies[4]);
        Assert.Equal(7, burst.Count);

        var evt = Assert.IsType<PartitionBurst>(burst.Close().Event);
        var recovered = NewState();
        recovered.Apply(evt);

        AssertSameState(live, recovered);
        // Every retry is answered as the first time, on the live state and the recovered one alike.
        foreach (var state in new[] { live, recovered })
        {
            Assert.Equal(Stored.Instance, state.Decide(new SetValue("a", Text("other")), setA).Reply);
            Assert.Equal(new CounterValue(5), state.Decide(new IncrementBy("n", 5), incr).Reply);
            Assert.Equal(new Deleted(true), state.Decide(new DeleteKey("b"), delB).Reply);
            Assert.Equal(Stored.Instance, state.Decide(new SetValue("c", Text("x")), setC).Reply);
            Assert.Equal("4", TextOf(state.Decide(new GetValue("a")).Reply));
            Assert.Null(TextOf(state.Decide(new GetValue("b")).Reply));
        }
        var next = recovered.Decide(new IncrementBy("n", 1), Guid.NewGuid());
        Assert.Equal(new CounterValue(7), next.Reply);
    }

    [Fact]
    public void A_burst_after_a_snapshot_recovers_like_one_event_per_write()
    {
        var harness = new PartitionTestHarness(NewState);
        harness.Run(new SetValue("x", Text("0")));
        harness.Run(new IncrementBy("n", 1));
        var snapshot = harness.State.ToSnapshot();

        var (_, burst) = RunInBurst(harness.State,
            (new IncrementBy("n", 2), Guid.NewGuid()),
            (new DeleteKey("x"), Guid.NewGuid()),
            (new SetValue("y", Text("1")), Guid.NewGuid()));
        var closed = burst.Close();
        var writes = Assert.IsType<PartitionBurst>(closed.Event).Writes;

        var fromBurst = NewState();
        fromBurst.Restore(snapshot);
        fromBurst.Apply(closed.Event);
        var oneByOne = NewState();
        oneByOne.Restore(snapshot);
        foreach (var write in writes)
            oneByOne.Apply(write);

        AssertSameState(harness.State, fromBurst);
        AssertSameState(oneByOne, fromBurst);
    }

    private static void AssertSameState(PartitionState expected, PartitionState actual)
    {
        var a = expected.ToSnapshot();
        var b = actual.ToSnapshot();
        Assert.Equal(a.Entries.Select(Describe).OrderBy(s => s), b.Entries.Select(Describe).OrderBy(s => s));
        Assert.Equal(a.RecentRequests, b.RecentRequests);
        Assert.Equal(a.NextVersion, b.NextVersion);
        Assert.Equal(expected.UsedBytes, actual.UsedBytes);
    }

    private static string Describe(SnapshotEntry e) =>
        $"{e.Key}={e.Value.Kind}:{Convert.ToHexString(e.Value.Data)} v{e.Version} exp{e.ExpiresAt}";
}
