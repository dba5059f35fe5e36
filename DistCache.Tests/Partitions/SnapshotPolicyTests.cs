using DistCache.Actors.Partitions;

namespace DistCache.Tests.Partitions;

public sealed class SnapshotPolicyTests
{
    [Fact]
    public void A_snapshot_is_due_after_the_configured_number_of_events()
    {
        var policy = new SnapshotPolicy(3, null, nowMs: 0);
        policy.Journaled(100);
        policy.Journaled(100);
        Assert.False(policy.IsDue(stateBytes: 300, nowMs: 0));
        policy.Journaled(100);
        Assert.True(policy.IsDue(stateBytes: 300, nowMs: 0));
        policy.Taken(nowMs: 5);
        Assert.False(policy.IsDue(stateBytes: 300, nowMs: 5));
    }

    [Fact]
    public void After_the_interval_one_event_is_enough_and_no_event_is_never_enough()
    {
        var policy = new SnapshotPolicy(1000, TimeSpan.FromSeconds(60), nowMs: 0);
        Assert.False(policy.IsDue(stateBytes: 0, nowMs: 120_000));
        policy.Journaled(50);
        Assert.False(policy.IsDue(stateBytes: 100, nowMs: 59_999));
        Assert.True(policy.IsDue(stateBytes: 100, nowMs: 60_000));
    }

    [Fact]
    public void A_big_partition_waits_until_its_events_carry_a_quarter_of_its_bytes()
    {
        var policy = new SnapshotPolicy(10, TimeSpan.FromSeconds(1), nowMs: 0);
        for (var i = 0; i < 10; i++)
            policy.Journaled(1000);
        Assert.False(policy.IsDue(stateBytes: 1_000_000, nowMs: 10_000));
        for (var i = 0; i < 240; i++)
            policy.Journaled(1000);
        Assert.True(policy.IsDue(stateBytes: 1_000_000, nowMs: 10_000));
    }

    [Fact]
    public void A_phase_brings_only_the_first_snapshot_forward_by_its_fraction_of_the_events_and_of_the_interval()
    {
        var byEvents = new SnapshotPolicy(100, null, nowMs: 0, phase: 0.25);
        for (var i = 0; i < 74; i++)
            byEvents.Journaled(10);
        Assert.False(byEvents.IsDue(stateBytes: 10, nowMs: 0));
        byEvents.Journaled(10);
        Assert.True(byEvents.IsDue(stateBytes: 10, nowMs: 0));
        byEvents.Taken(nowMs: 0);
        for (var i = 0; i < 99; i++)
            byEvents.Journaled(10);
        Assert.False(byEvents.IsDue(stateBytes: 10, nowMs: 0));

        var byTime = new SnapshotPolicy(1000, TimeSpan.FromSeconds(60), nowMs: 0, phase: 0.5);
        byTime.Journaled(10);
        Assert.False(byTime.IsDue(stateBytes: 10, nowMs: 29_999));
        Assert.True(byTime.IsDue(stateBytes: 10, nowMs: 30_000));
        byTime.Taken(nowMs: 30_000);
        byTime.Journaled(10);
        Assert.False(byTime.IsDue(stateBytes: 10, nowMs: 89_999));
        Assert.True(byTime.IsDue(stateBytes: 10, nowMs: 90_000));
    }

    [Fact]
    public void The_partitions_phases_spread_over_the_cycle()
    {
        // 256 partitions in ten equal slices of the cycle: no slice holds more than twice its share.
        var slices = Enumerable.Range(0, 256).Select(SnapshotPolicy.PhaseOf).GroupBy(p => (int)(p * 10)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, slices.Count);
        Assert.All(slices.Values, count => Assert.InRange(count, 1, 52));
        Assert.Equal(0, SnapshotPolicy.PhaseOf(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SnapshotPolicy(10, null, 0, phase: 1));
    }
}
