namespace DistCache.Actors.Partitions;

/// <summary>When a partition snapshots: after <c>everyEvents</c> journaled events, or once
/// <c>interval</c> has passed with at least one event journaled (the original project's "snapshots at
/// regular intervals") — but not before the events since the last snapshot carry a quarter of the state's
/// bytes, so a big partition's snapshot never costs much more disk than the events it lets go. The journal
/// of a partition therefore holds at most about max(everyEvents, a quarter of its state) before a
/// snapshot replaces it. Times are milliseconds on the partition's clock.</summary>
public sealed class SnapshotPolicy(int everyEvents, TimeSpan? interval, long nowMs)
{
    private long _events;
    private long _bytes;
    private long _lastTakenMs = nowMs;

    /// <summary>Events journaled since the last snapshot.</summary>
    public long EventsSince => _events;

    public void Journaled(long bytes)
    {
        _events++;
        _bytes += bytes;
    }

    public void Taken(long nowMs)
    {
        _events = 0;
        _bytes = 0;
        _lastTakenMs = nowMs;
    }

    public bool IsDue(long stateBytes, long nowMs)
    {
        if (_events == 0 || _bytes * 4 < stateBytes)
            return false;
        return _events >= everyEvents || (interval is { } every && nowMs - _lastTakenMs >= (long)every.TotalMilliseconds);
    }
}
