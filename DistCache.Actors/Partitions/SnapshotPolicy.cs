namespace DistCache.Actors.Partitions;

/// <summary>When a partition snapshots: after <c>everyEvents</c> journaled events, or once
/// <c>interval</c> has passed with at least one event journaled (the original project's "snapshots at
/// regular intervals") — but not before the events since the last snapshot carry a quarter of the state's
/// bytes, so a big partition's snapshot never costs much more disk than the events it lets go. The journal
/// of a partition therefore holds at most about max(everyEvents, a quarter of its state) before a
/// snapshot replaces it. Times are milliseconds on the partition's clock.
/// <para>The partitions of a node start together and take writes at about the same rate, so without a
/// <c>phase</c> they all snapshot (and delete the journal rows behind it) in the same second, every
/// interval: the soak run measured bursts of hundreds of MB written at once, stalling every process on the
/// machine for one to two seconds. A phase in [0, 1) counts as that fraction of the first interval and of
/// the first <c>everyEvents</c> already gone, so each partition's snapshots keep their own place in the
/// cycle (<see cref="PhaseOf"/> spreads them evenly by partition number).</para></summary>
public sealed class SnapshotPolicy
{
    // The golden ratio's fraction: consecutive partition numbers land far apart in [0, 1), for any count.
    private const double GoldenFraction = 0.6180339887498949;

    private readonly int _everyEvents;
    private readonly TimeSpan? _interval;
    private long _events;
    private long _bytes;
    private long _lastTakenMs;
    private long _headStart;

    public SnapshotPolicy(int everyEvents, TimeSpan? interval, long nowMs, double phase = 0)
    {
        if (phase is < 0 or >= 1 || double.IsNaN(phase))
            throw new ArgumentOutOfRangeException(nameof(phase), phase, "a phase is a fraction in [0, 1)");
        _everyEvents = everyEvents;
        _interval = interval;
        _headStart = (long)(phase * everyEvents);
        _lastTakenMs = nowMs - (interval is { } every ? (long)(phase * every.TotalMilliseconds) : 0);
    }

    /// <summary>The phase of partition <paramref name="number"/> (0 for a partition without a number).</summary>
    public static double PhaseOf(int number) => number < 0 ? 0 : number * GoldenFraction % 1.0;

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
        _headStart = 0;
        _lastTakenMs = nowMs;
    }

    public bool IsDue(long stateBytes, long nowMs)
    {
        if (_events == 0 || _bytes * 4 < stateBytes)
            return false;
        return _events + _headStart >= _everyEvents || (_interval is { } every && nowMs - _lastTakenMs >= (long)every.TotalMilliseconds);
    }
}
