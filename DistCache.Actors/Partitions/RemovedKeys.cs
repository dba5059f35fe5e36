namespace DistCache.Actors.Partitions;

/// <summary>Which keys a partition removed (deleted, expired, evicted, flushed) since a moment, for WATCH of a
/// key that did not exist: Redis aborts EXEC when such a key was created and removed again in between, which a
/// version cannot show (the key has none, then and now). A moment is a version stamp: the partition's next
/// version when it happened, so "removed after the WATCH" is "removed with a stamp above the WATCH's".
/// Recorded only while a WATCH of a missing key was made in the last <see cref="Window"/> (nothing is kept, and
/// nothing costs, otherwise), and for at most <see cref="Capacity"/> keys, by hash: a key it no longer knows
/// about, or one sharing another's hash, counts as removed. That errs towards aborting, which a client of WATCH
/// retries, never towards running a transaction on a changed key.</summary>
public sealed class RemovedKeys
{
    public const int Capacity = 1024;
    public const long Window = 60_000;

    private readonly Dictionary<int, long> _stamps = [];
    private readonly Queue<(int Hash, long Stamp)> _order = new();
    // Every removal with a stamp above this one is recorded; long.MaxValue while nothing is.
    private long _completeAfter = long.MaxValue;
    private long _recordUntil;

    /// <summary>A WATCH of a missing key at <paramref name="stamp"/>: record removals from here on.</summary>
    public void Watching(long stamp, long nowMs)
    {
        if (_completeAfter == long.MaxValue)
            _completeAfter = stamp - 1;
        _recordUntil = nowMs + Window;
    }

    /// <summary>Whether removals are being recorded (the caller skips hashing and the clock otherwise).</summary>
    public bool Recording => _completeAfter != long.MaxValue;

    public void Removed(int hash, long stamp, long nowMs)
    {
        if (_completeAfter == long.MaxValue)
            return;
        if (nowMs > _recordUntil)
        {
            // No WATCH of a missing key for a while: stop; a later one starts afresh.
            _stamps.Clear();
            _order.Clear();
            _completeAfter = long.MaxValue;
            return;
        }
        _stamps[hash] = stamp;
        _order.Enqueue((hash, stamp));
        if (_order.Count <= Capacity)
            return;
        var (oldest, at) = _order.Dequeue();
        if (_stamps.TryGetValue(oldest, out var latest) && latest == at)
            _stamps.Remove(oldest);
        _completeAfter = Math.Max(_completeAfter, at);
    }

    /// <summary>Every key removed at once (FLUSHALL): nothing removed before <paramref name="stamp"/> is known.</summary>
    public void RemovedAll(long stamp)
    {
        if (_completeAfter == long.MaxValue)
            return;
        _stamps.Clear();
        _order.Clear();
        _completeAfter = Math.Max(_completeAfter, stamp);
    }

    /// <summary>Whether the key with <paramref name="hash"/> may have been removed after <paramref name="since"/>;
    /// <paramref name="nextStamp"/> is the stamp now (when nothing was recorded, any write since counts).</summary>
    public bool RemovedSince(int hash, long since, long nextStamp)
    {
        if (_completeAfter == long.MaxValue || since < _completeAfter)
            return nextStamp > since;
        return _stamps.TryGetValue(hash, out var at) && at > since;
    }
}
