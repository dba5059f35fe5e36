using DistCache.Actors.Partitions;

namespace DistCache.Tests.Partitions;

/// <summary>Which keys were removed since a WATCH of a missing key: exact while recorded, and erring towards
/// "removed" (EXEC aborts) whenever the record cannot tell.</summary>
public sealed class RemovedKeysTests
{
    private readonly RemovedKeys _removed = new();

    [Fact]
    public void Nothing_is_recorded_until_a_watch_and_then_only_removals_after_it_count()
    {
        _removed.Removed(1, 5, nowMs: 0);
        Assert.False(_removed.Recording);
        _removed.Watching(stamp: 10, nowMs: 0);
        _removed.Removed(1, 10, nowMs: 1);
        _removed.Removed(2, 11, nowMs: 2);
        Assert.False(_removed.RemovedSince(1, since: 10, nextStamp: 12));
        Assert.True(_removed.RemovedSince(2, since: 10, nextStamp: 12));
        Assert.False(_removed.RemovedSince(3, since: 10, nextStamp: 12));
    }

    [Fact]
    public void Past_its_capacity_or_its_window_it_counts_any_write_since_as_a_removal()
    {
        _removed.Watching(stamp: 1, nowMs: 0);
        for (var i = 0; i <= RemovedKeys.Capacity; i++)
            _removed.Removed(i, 2 + i, nowMs: 1);
        // The oldest removal (stamp 2) was dropped: a watch from before it can no longer be told apart.
        Assert.True(_removed.RemovedSince(123_456, since: 1, nextStamp: 5000));
        Assert.False(_removed.RemovedSince(123_456, since: 2, nextStamp: 5000));

        var lapsed = new RemovedKeys();
        lapsed.Watching(stamp: 1, nowMs: 0);
        lapsed.Removed(7, 3, nowMs: RemovedKeys.Window + 1);
        Assert.False(lapsed.Recording);
        Assert.True(lapsed.RemovedSince(8, since: 1, nextStamp: 4));
        Assert.False(lapsed.RemovedSince(8, since: 4, nextStamp: 4));
    }

    [Fact]
    public void Removing_every_key_counts_for_watches_from_before_it_that_saw_a_write_since()
    {
        _removed.Watching(stamp: 3, nowMs: 0);
        _removed.RemovedAll(stamp: 5);
        Assert.True(_removed.RemovedSince(1, since: 3, nextStamp: 5));
        Assert.False(_removed.RemovedSince(1, since: 5, nextStamp: 5));
    }
}
