using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

public sealed class BlockedCallsTests
{
    private readonly BlockedCalls<string> _blocked = new();
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid();

    private string[] Waiting(CacheKey key) => _blocked.WaitingOn(key).Select(w => w.Call).ToArray();

    [Fact]
    public void Callers_wait_on_each_of_their_keys_first_come_first()
    {
        _blocked.Park(A, "a", ["k1", "k2"], 1000);
        _blocked.Park(B, "b", ["k2"], 1000);
        _blocked.Park(C, "c", ["k1", "k1"], 1000);
        Assert.Equal(["a", "c"], Waiting("k1"));
        Assert.Equal(["a", "b"], Waiting("k2"));
        Assert.Empty(Waiting("k3"));
        Assert.Equal(3, _blocked.Count);

        // Served through k2, "a" waits on k1 no more either.
        _blocked.Remove(A, "a");
        Assert.Equal(["c"], Waiting("k1"));
        Assert.Equal(["b"], Waiting("k2"));
        _blocked.Remove(C, "c");
        Assert.False(_blocked.IsWaitingOn("k1"));
        Assert.True(_blocked.IsWaitingOn("k2"));
    }

    [Fact]
    public void A_retry_takes_the_place_of_the_call_it_repeats()
    {
        _blocked.Park(A, "a", ["k"], 1000);
        _blocked.Park(B, "b", ["k"], 2000);
        _blocked.Park(A, "a-retry", ["k"], 5000);
        Assert.Equal(["a-retry", "b"], Waiting("k"));
        Assert.Equal(2, _blocked.Count);
        // The retry kept the first call's wake-up too (the client sends the same deadline every time).
        Assert.Equal(["a-retry"], _blocked.Due(1000));
    }

    [Fact]
    public void Waits_end_in_the_order_they_are_due_and_leave_every_line()
    {
        _blocked.Park(A, "a", ["k1", "k2"], 300);
        _blocked.Park(B, "b", ["k2"], 100);
        _blocked.Park(C, "c", ["k1"], 200);
        Assert.Equal(100, _blocked.NextWakeAt);
        Assert.Empty(_blocked.Due(99));
        Assert.Equal(["b", "c"], _blocked.Due(250));
        Assert.Equal(["a"], Waiting("k1"));
        Assert.Equal(["a"], Waiting("k2"));
        Assert.Equal(300, _blocked.NextWakeAt);
        Assert.Equal(["a"], _blocked.Due(300));
        Assert.Null(_blocked.NextWakeAt);
        Assert.False(_blocked.IsWaitingOn("k1") || _blocked.IsWaitingOn("k2"));
    }

    [Fact]
    public void A_waiter_gone_from_the_middle_of_a_line_is_not_offered_and_the_line_empties()
    {
        _blocked.Park(A, "a", ["k"], 1000);
        _blocked.Park(B, "b", ["k"], 1000);
        _blocked.Park(C, "c", ["k"], 1000);
        _blocked.Remove(B, "b");
        Assert.Equal(["a", "c"], Waiting("k"));
        _blocked.Remove(A, "a");
        _blocked.Remove(C, "c");
        Assert.False(_blocked.IsWaitingOn("k"));
        Assert.Equal(0, _blocked.Count);
    }

    [Fact]
    public void A_call_that_stops_waiting_leaves_its_lines()
    {
        _blocked.Park(A, "a", ["k1", "k2"], 1000);
        _blocked.Park(B, "b", ["k1"], 1000);
        Assert.True(_blocked.TryStop(A, out var stopped));
        Assert.Equal("a", stopped);
        Assert.False(_blocked.TryStop(A, out _));
        Assert.False(_blocked.TryStop(Guid.Empty, out _));
        Assert.Equal(["b"], Waiting("k1"));
        Assert.False(_blocked.IsWaitingOn("k2"));
        Assert.Equal(1000, _blocked.NextWakeAt);
    }

    [Fact]
    public void Calls_without_a_request_id_each_wait_and_stopping_hands_back_every_one()
    {
        _blocked.Park(Guid.Empty, "x", ["k"], 1000);
        _blocked.Park(Guid.Empty, "y", ["k"], 1000);
        Assert.Equal(["x", "y"], Waiting("k"));
        _blocked.Remove(Guid.Empty, "x");
        Assert.Equal(["y"], Waiting("k"));
        _blocked.Park(A, "a", ["j"], 10);
        Assert.Equal(["y", "a"], _blocked.RemoveAll());
        Assert.Equal(0, _blocked.Count);
        Assert.Null(_blocked.NextWakeAt);
    }
}
