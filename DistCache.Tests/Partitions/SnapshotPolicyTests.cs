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
}
