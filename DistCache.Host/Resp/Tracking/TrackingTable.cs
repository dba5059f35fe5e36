using DistCache.Protocol;

namespace DistCache.Host.Resp.Tracking;

/// <summary>An endpoint's client-side caching state, as Redis's tracking.c keeps it: which connections track,
/// in which mode; for the default mode the keys each connection read (key → connection ids, told once and then
/// forgotten); for BCAST the prefixes (prefix → connection ids). Pure and single-threaded: its owner
/// (<see cref="RespTracking"/>) locks around it and sends the <see cref="Invalidation"/>s it returns.
/// <para>At most <c>maxKeys</c> keys are remembered (Redis's tracking-table-max-keys; 0: no bound): past that
/// the oldest are invalidated and forgotten at once, where Redis picks random ones.</para>
/// <para>NOLOOP: Redis skips the connection that is running the write. Invalidations here arrive later and merged
/// (a batch names each key once, whoever wrote it, on any node), so a NOLOOP connection's own writes through this
/// endpoint leave a mark on the key for <see cref="NoLoopWindowMs"/>, and the first invalidation of that key within
/// it is not sent to that connection. Writes through another node or endpoint are always reported; a write by
/// someone else merged into the same batch as the connection's own is not, and neither is one within the window
/// after a write of its own that changed nothing (a DEL of a missing key).</para></summary>
public sealed class TrackingTable(int maxKeys)
{
    /// <summary>How long a NOLOOP connection's own write waits for its invalidation.</summary>
    public const long NoLoopWindowMs = 1000;

    /// <summary>Own writes remembered per NOLOOP connection; past that its writes are reported to it again.</summary>
    public const int MaxOwnWrites = 1024;

    private static readonly CacheKey Everything = new([]);

    private readonly Dictionary<long, TrackingMode> _clients = [];
    private readonly Dictionary<CacheKey, LinkedListNode<TrackedKey>> _keys = [];
    // Oldest first: the bound invalidates from the front.
    private readonly LinkedList<TrackedKey> _order = new();
    private readonly Dictionary<CacheKey, HashSet<long>> _prefixes = [];
    private readonly Dictionary<long, Dictionary<CacheKey, long>> _ownWrites = [];

    /// <summary>Connections with tracking on.</summary>
    public int Clients => _clients.Count;

    /// <summary>Keys remembered for the default mode (Redis's tracking_total_keys).</summary>
    public int Keys => _keys.Count;

    /// <summary>BCAST prefixes (Redis's tracking_total_prefixes).</summary>
    public int Prefixes => _prefixes.Count;

    public TrackingMode? ModeOf(long id) => _clients.GetValueOrDefault(id);

    /// <summary>CLIENT TRACKING ON (already validated). A connection already tracking in BCAST keeps the prefixes
    /// it had and adds these (none given: every key), as Redis's enableTracking does. Returns the mode as kept.</summary>
    public TrackingMode Enable(long id, TrackingMode mode)
    {
        IReadOnlyList<CacheKey> prefixes = [];
        if (mode.Bcast)
        {
            var all = new SortedSet<CacheKey>(_clients.GetValueOrDefault(id)?.Prefixes ?? []);
            foreach (var prefix in mode.Prefixes.Count == 0 ? [Everything] : mode.Prefixes)
            {
                all.Add(prefix);
                if (!_prefixes.TryGetValue(prefix, out var ids))
                    _prefixes[prefix] = ids = [];
                ids.Add(id);
            }
            prefixes = all.ToArray();
        }
        if (!mode.NoLoop)
            _ownWrites.Remove(id);
        var kept = mode with { Prefixes = prefixes };
        _clients[id] = kept;
        return kept;
    }

    /// <summary>CLIENT TRACKING OFF, RESET, or the connection ended. The keys it read are forgotten lazily (skipped
    /// when they change, as in Redis); with no connection tracking any more, everything is.</summary>
    public void Disable(long id)
    {
        if (!_clients.Remove(id, out var mode))
            return;
        foreach (var prefix in mode.Prefixes)
        {
            if (_prefixes.TryGetValue(prefix, out var ids) && ids.Remove(id) && ids.Count == 0)
                _prefixes.Remove(prefix);
        }
        _ownWrites.Remove(id);
        if (_clients.Count == 0)
            Clear();
    }

    /// <summary>A default-mode connection reads these keys (remembered before the read is sent, so a write after
    /// it is never missed). Keys over the bound are invalidated into <paramref name="evicted"/>.</summary>
    public void Read(long id, IReadOnlyList<CacheKey> keys, List<Invalidation> evicted)
    {
        if (!_clients.TryGetValue(id, out var mode) || mode.Bcast)
            return;
        foreach (var key in keys)
        {
            if (!_keys.TryGetValue(key, out var node))
                _keys[key] = node = _order.AddLast(new TrackedKey(key));
            node.Value.Ids.Add(id);
        }
        while (maxKeys > 0 && _keys.Count > maxKeys)
        {
            var oldest = _order.First!;
            Forget(oldest);
            foreach (var reader in oldest.Value.Ids)
            {
                if (_clients.TryGetValue(reader, out var its) && !its.Bcast)
                    evicted.Add(new Invalidation(reader, [oldest.Value.Key]));
            }
        }
    }

    /// <summary>A NOLOOP connection writes these keys through this endpoint at <paramref name="nowMs"/>.</summary>
    public void Wrote(long id, IReadOnlyList<CacheKey> keys, long nowMs)
    {
        if (_clients.GetValueOrDefault(id) is not { NoLoop: true })
            return;
        if (!_ownWrites.TryGetValue(id, out var own))
            _ownWrites[id] = own = [];
        if (own.Count + keys.Count > MaxOwnWrites)
        {
            foreach (var stale in own.Where(w => w.Value < nowMs).Select(w => w.Key).ToArray())
                own.Remove(stale);
        }
        foreach (var key in keys)
        {
            if (own.Count < MaxOwnWrites || own.ContainsKey(key))
                own[key] = nowMs + NoLoopWindowMs;
        }
    }

    /// <summary>These keys changed: one message per key to each default-mode connection that read it (which then
    /// forgets it), one per prefix with its keys to each BCAST connection.</summary>
    public void Invalidated(IReadOnlyList<CacheKey> keys, long nowMs, List<Invalidation> into)
    {
        var own = OwnWritesAmong(keys, nowMs);
        foreach (var key in keys)
        {
            if (!_keys.TryGetValue(key, out var node))
                continue;
            Forget(node);
            foreach (var id in node.Value.Ids)
            {
                if (_clients.TryGetValue(id, out var mode) && !mode.Bcast && own?.Contains((id, key)) != true)
                    into.Add(new Invalidation(id, [key]));
            }
        }
        foreach (var (prefix, ids) in _prefixes)
        {
            List<CacheKey>? matched = null;
            foreach (var key in keys)
            {
                if (key.AsSpan().StartsWith(prefix.AsSpan()))
                    (matched ??= []).Add(key);
            }
            if (matched is null)
                continue;
            foreach (var id in ids)
            {
                var mine = own is null ? matched : matched.Where(k => !own.Contains((id, k))).ToList();
                if (mine.Count > 0)
                    into.Add(new Invalidation(id, [.. mine]));
            }
        }
    }

    /// <summary>Any key may have changed: every tracking connection gets the null invalidation and the keys read
    /// are forgotten, as Redis does on FLUSHALL.</summary>
    public void InvalidatedAll(List<Invalidation> into)
    {
        foreach (var id in _clients.Keys)
            into.Add(new Invalidation(id, null));
        _keys.Clear();
        _order.Clear();
        _ownWrites.Clear();
    }

    // The NOLOOP marks these keys take: (connection, key) pairs whose invalidation is the connection's own write.
    private HashSet<(long, CacheKey)>? OwnWritesAmong(IReadOnlyList<CacheKey> keys, long nowMs)
    {
        HashSet<(long, CacheKey)>? own = null;
        foreach (var (id, writes) in _ownWrites)
        {
            foreach (var key in keys)
            {
                if (writes.Remove(key, out var until) && until >= nowMs)
                    (own ??= []).Add((id, key));
            }
        }
        return own;
    }

    private void Forget(LinkedListNode<TrackedKey> node)
    {
        _keys.Remove(node.Value.Key);
        _order.Remove(node);
    }

    private void Clear()
    {
        _keys.Clear();
        _order.Clear();
        _prefixes.Clear();
        _ownWrites.Clear();
    }

    private sealed class TrackedKey(CacheKey key)
    {
        public CacheKey Key { get; } = key;

        public HashSet<long> Ids { get; } = [];
    }
}
