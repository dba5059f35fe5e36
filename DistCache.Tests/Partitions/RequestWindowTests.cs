using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;

namespace DistCache.Tests.Partitions;

/// <summary>The request window keeps a write's id while a retry of it could still be applied: until its
/// deadline (plus clock skew) for a live write, by count for ids whose deadline is not known.</summary>
public sealed class RequestWindowTests
{
    [Fact]
    public void A_live_writes_id_is_forgotten_once_its_deadline_has_passed_and_not_before()
    {
        var window = new RequestWindow(capacity: 100);
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        window.Remember(first, Stored.Instance, forgetAfterMs: 1_000, nowMs: 0);
        window.Remember(second, Stored.Instance, forgetAfterMs: 2_000, nowMs: 500);
        Assert.True(window.TryGet(first, out _));

        window.Forget(999);
        Assert.Equal(2, window.Count);
        window.Forget(1_000);
        Assert.False(window.TryGet(first, out _));
        Assert.True(window.TryGet(second, out _));
        window.Forget(2_000);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void Ids_without_a_known_deadline_leave_only_when_the_window_is_full_and_hold_back_the_ones_behind()
    {
        var window = new RequestWindow(capacity: 2);
        var recovered = Guid.NewGuid();
        var live = Guid.NewGuid();
        window.Remember(recovered, Stored.Instance);
        window.Remember(live, Stored.Instance, forgetAfterMs: 10, nowMs: 0);
        window.Forget(1_000_000);
        // The recovered id is first in line and has no deadline: nothing behind it is forgotten yet.
        Assert.True(window.TryGet(recovered, out _));
        Assert.True(window.TryGet(live, out _));
        window.Remember(Guid.NewGuid(), Stored.Instance);
        Assert.False(window.TryGet(recovered, out _));
    }

    [Fact]
    public void A_partition_forgets_ids_after_their_deadline_and_a_retry_before_it_gets_the_original_reply()
    {
        var clock = new ManualClock();
        var state = new PartitionState(new PartitionLimits(64, 64), requestWindow: 4096, clock: clock);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var id = Guid.NewGuid();
        var decision = state.Decide(new IncrementBy("c", 1), id);
        state.Apply(decision.Event!, forgetRequestAfterMs: now + 5_000);

        clock.Advance(TimeSpan.FromSeconds(4));
        var retry = state.Decide(new IncrementBy("c", 1), id);
        Assert.Null(retry.Event);
        Assert.Equal(new CounterValue(1), retry.Reply);

        clock.Advance(TimeSpan.FromSeconds(1));
        state.RemoveExpired();
        Assert.Equal(0, state.RememberedRequests);
    }
}
