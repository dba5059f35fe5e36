using System.Diagnostics;

namespace DistCache.Client.Hybrid;

/// <summary>Decides whether HybridCache may keep in its first level a value it has just read from DistCache. HybridCache
/// reads a key from its second level, then stores what it read in its first level; an invalidation of the key that
/// arrives in between would be lost, since the entry it should drop is not there yet. So every read of a key from
/// DistCache is counted here as it starts, an invalidation of the key (or of everything) marks the reads in flight
/// as overtaken, and the first-level write that follows is kept only if nothing overtook them. Keys are the
/// IDistributedCache keys (HybridCache's own keys, unchanged). Times are <see cref="Stopwatch"/> timestamps;
/// thread-safe (one lock).</summary>
internal sealed class L1FillGuard
{
    /// <summary>How long a read may take to reach the first level before it counts as abandoned (a read by something
    /// other than HybridCache, or one whose value HybridCache did not store). An L2 hit reaches the first level within
    /// the request timeout plus HybridCache's tag checks (4 s at most each); a miss runs the factory, whose first-level
    /// entry this client drops anyway when HybridCache then writes the value to DistCache.</summary>
    public static readonly TimeSpan ReadWindow = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private readonly Dictionary<string, Read> _reads = new(StringComparer.Ordinal);
    private readonly long _window = (long)(ReadWindow.TotalSeconds * Stopwatch.Frequency);
    private long _generation;
    private long _lastPrune;

    /// <summary>Reads counted and not yet stored (for tests).</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
                return _reads.Count;
        }
    }

    /// <summary>A read of <paramref name="key"/> from DistCache starts at <paramref name="now"/>.</summary>
    public void ReadStarted(string key, long now)
    {
        lock (_gate)
        {
            if (now - _lastPrune > _window)
                Prune(now);
            if (_reads.TryGetValue(key, out var read) && read.Count > 0 && now - read.LastStarted < _window)
                // Another read of the key is in flight: whatever overtook it overtakes the pair.
                _reads[key] = read with { Count = read.Count + 1, LastStarted = now };
            else
                // None in flight (or only abandoned ones): a fresh start.
                _reads[key] = new Read(1, false, _generation, now);
        }
    }

    /// <summary>The keys changed somewhere in the cluster (or by this client).</summary>
    public void Invalidated(IEnumerable<string> keys)
    {
        lock (_gate)
        {
            foreach (var key in keys)
                if (_reads.TryGetValue(key, out var read))
                    _reads[key] = read with { Overtaken = true };
        }
    }

    /// <summary>Everything was dropped: every read in flight is overtaken.</summary>
    public void DroppedAll()
    {
        lock (_gate)
            _generation++;
    }

    /// <summary>Whether a value of <paramref name="key"/> may stay in the first level now: no invalidation of the key,
    /// and no drop, came since a read of it in flight began. A key with no read in flight (HybridCache.SetAsync, an
    /// entry that skips DistCache) may stay.</summary>
    public bool MayKeep(string key)
    {
        lock (_gate)
            return !_reads.TryGetValue(key, out var read) || (!read.Overtaken && read.Generation == _generation);
    }

    /// <summary>A first-level write of <paramref name="key"/> is done: one read of it is accounted for. An overtaken
    /// record outlives its reads so that a write which arrives after them, and belongs to one of them, is refused
    /// too; the next read starts afresh.</summary>
    public void Filled(string key)
    {
        lock (_gate)
        {
            if (!_reads.TryGetValue(key, out var read))
                return;
            var count = Math.Max(0, read.Count - 1);
            if (count == 0 && !read.Overtaken && read.Generation == _generation)
                _reads.Remove(key);
            else
                _reads[key] = read with { Count = count };
        }
    }

    private void Prune(long now)
    {
        _lastPrune = now;
        List<string>? stale = null;
        foreach (var (key, read) in _reads)
            if (now - read.LastStarted >= _window)
                (stale ??= []).Add(key);
        if (stale is not null)
            foreach (var key in stale)
                _reads.Remove(key);
    }

    private readonly record struct Read(int Count, bool Overtaken, long Generation, long LastStarted);
}
