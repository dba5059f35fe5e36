using System.Diagnostics;
using DistCache.Protocol;

namespace DistCache.Client.NearCache;

/// <summary>The near cache's entries and the proof that they are current. A node sends the client the keys that
/// change anywhere in the cluster, and ticks that name the newest of the client's pings such that every write
/// acknowledged before the client sent it has had its invalidation sent ahead of the tick (see the node's
/// <c>InvalidationRelay</c>). An entry is served only while that ping was sent less than
/// <see cref="NearCacheOptions.MaxStaleness"/> ago; everything is dropped when the proof breaks (another node, a new
/// epoch, a lost message). A read from the cluster is kept only if no invalidation of its key, and no drop, came
/// while it was in flight. Times are <see cref="Stopwatch"/> timestamps; thread-safe (one lock).</summary>
internal sealed class NearCacheStore(NearCacheOptions options)
{
    private readonly object _gate = new();
    private readonly Dictionary<CacheKey, Entry> _entries = [];
    private readonly Queue<(long Ping, long SentAt)> _pings = new();
    private readonly long _maxStaleness = (long)(options.MaxStaleness.TotalSeconds * Stopwatch.Frequency);
    private long _nextPing;
    private long _generation;
    private string? _node;
    private long _epoch;
    private long _expectedSeq;
    private long _newestPingEchoed;
    private long _coveredSince = long.MinValue;

    /// <summary>Raised (under no lock) with the keys dropped, or null when everything was dropped.</summary>
    public event Action<IReadOnlyList<CacheKey>?>? Dropped;

    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count(e => e.Value.Token is null);
        }
    }

    /// <summary>Whether entries may be served at <paramref name="now"/>.</summary>
    public bool Serving(long now)
    {
        lock (_gate)
            return IsServing(now);
    }

    private bool IsServing(long now) => _node is not null && _coveredSince != long.MinValue && now - _coveredSince < _maxStaleness;

    public long NextPing(long now)
    {
        lock (_gate)
        {
            _pings.Enqueue((++_nextPing, now));
            while (_pings.Count > 512)
                _pings.Dequeue();
            return _nextPing;
        }
    }

    private long _hits;
    private long _misses;

    /// <summary>Reads served from the near cache, and reads that went to the cluster.</summary>
    public (long Hits, long Misses) Reads => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));

    public bool TryGet(CacheKey key, long now, out CacheValue? value)
    {
        lock (_gate)
        {
            if (IsServing(now) && _entries.TryGetValue(key, out var entry) && entry.Token is null && entry.ExpiresAt > now)
            {
                value = entry.Value;
                _hits++;
                return true;
            }
            _misses++;
        }
        value = null;
        return false;
    }

    /// <summary>A read of <paramref name="key"/> from the cluster starts: its answer is kept only if nothing about the key changes meanwhile.</summary>
    public Fetch BeginFetch(CacheKey key, long now)
    {
        var token = new object();
        lock (_gate)
        {
            if (_entries.Count >= options.MaxEntries && !_entries.ContainsKey(key))
                MakeRoom();
            _entries[key] = new Entry(null, 0, token);
            return new Fetch(token, _generation, now);
        }
    }

    public void Complete(CacheKey key, Fetch fetch, FoundCacheable found)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry) || entry.Token != fetch.Token)
                return;
            if (fetch.Generation != _generation || found.Sliding || found.TtlMs == 0)
            {
                _entries.Remove(key);
                return;
            }
            // Counted from when the read was sent: the key cannot have had more time left than that.
            var expiresAt = found.TtlMs < 0 ? long.MaxValue : fetch.StartedAt + found.TtlMs * Stopwatch.Frequency / 1000;
            _entries[key] = new Entry(found.Value, expiresAt, null);
        }
    }

    /// <summary>Forgets the keys (a write by this client, or an invalidation); a read of one in flight is not kept.</summary>
    public void Invalidate(IReadOnlyList<CacheKey> keys)
    {
        lock (_gate)
        {
            foreach (var key in keys)
                _entries.Remove(key);
        }
        Dropped?.Invoke(keys);
    }

    public void Clear()
    {
        lock (_gate)
            ClearLocked();
        Dropped?.Invoke(null);
    }

    public void OnInvalidated(NearCacheInvalidated message)
    {
        var gap = false;
        lock (_gate)
        {
            // Only the current node's numbering is checked: another node's messages (the one the client just left)
            // can only add invalidations.
            if (message.Node == _node)
            {
                gap = message.Seq != _expectedSeq;
                _expectedSeq = message.Seq + 1;
            }
        }
        if (gap || message.All)
            Clear();
        else
            Invalidate(message.Keys);
    }

    public void OnTick(NearCacheTick tick)
    {
        var cleared = false;
        lock (_gate)
        {
            if (tick.Node != _node)
            {
                // Ticks of a node the client no longer pings echo only older pings.
                if (tick.LastPing <= _newestPingEchoed)
                    return;
                _node = tick.Node;
                _epoch = tick.Epoch;
                _coveredSince = long.MinValue;
                cleared = true;
            }
            else if (tick.Seq != _expectedSeq || tick.Epoch != _epoch)
            {
                _epoch = tick.Epoch;
                cleared = true;
            }
            _expectedSeq = tick.Seq + 1;
            _newestPingEchoed = Math.Max(_newestPingEchoed, tick.LastPing);
            if (cleared)
                ClearLocked();
            if (tick.Covered >= 0 && SentAt(tick.Covered) is { } sentAt && sentAt > _coveredSince)
                _coveredSince = sentAt;
        }
        if (cleared)
            Dropped?.Invoke(null);
    }

    private long? SentAt(long ping)
    {
        foreach (var (p, at) in _pings)
            if (p == ping)
                return at;
        return null;
    }

    private void ClearLocked()
    {
        _entries.Clear();
        _generation++;
    }

    // An eighth of the entries, whichever the dictionary yields first: cheap, and a near cache that fills has
    // more keys than it can hold anyway.
    private void MakeRoom()
    {
        foreach (var key in _entries.Keys.Take(Math.Max(1, _entries.Count / 8)).ToArray())
            _entries.Remove(key);
    }

    /// <summary>A read in flight: its token marks the key's slot, and the generation says whether a drop came since.</summary>
    public readonly record struct Fetch(object Token, long Generation, long StartedAt);

    private readonly record struct Entry(CacheValue? Value, long ExpiresAt, object? Token);
}
