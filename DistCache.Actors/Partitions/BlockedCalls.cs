using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The callers blocked in a partition (BLPOP, BRPOP, BLMOVE, BZPOPMIN ...): each waits on one or more
/// keys until a write gives it something or its wait ends. Served in arrival order per key, as Redis serves
/// them. A retry of a blocked request (same request id: the client resends after its retry interval) takes
/// the place of the call it repeats and keeps that call's place in line, so a retry neither queues twice nor
/// goes to the back. Pure: the partition actor asks it who to try after each write and who to wake when.</summary>
public sealed class BlockedCalls<TCall>
{
    private readonly Dictionary<Guid, Waiter> _byRequest = [];
    private readonly Dictionary<CacheKey, Queue<Waiter>> _byKey = [];
    private readonly SortedSet<(long WakeAt, long Arrival)> _wakeUps = [];
    private readonly Dictionary<long, Waiter> _byArrival = [];
    private long _arrivals;

    public int Count => _byArrival.Count;

    /// <summary>When the earliest wait ends (Unix ms), or null when nobody waits.</summary>
    public long? NextWakeAt => _wakeUps.Count == 0 ? null : _wakeUps.Min.WakeAt;

    /// <summary>Blocks <paramref name="call"/> on <paramref name="keys"/> until <paramref name="wakeAt"/> (Unix ms).
    /// A request id already waiting keeps its place and its wake-up; only the call (whom to answer) is replaced.</summary>
    public void Park(Guid requestId, TCall call, IReadOnlyList<CacheKey> keys, long wakeAt)
    {
        if (requestId != Guid.Empty && _byRequest.TryGetValue(requestId, out var waiting))
        {
            waiting.Call = call;
            return;
        }
        var waiter = new Waiter(requestId, call, keys.Distinct().ToArray(), wakeAt, ++_arrivals);
        if (requestId != Guid.Empty)
            _byRequest[requestId] = waiter;
        _byArrival[waiter.Arrival] = waiter;
        _wakeUps.Add((wakeAt, waiter.Arrival));
        foreach (var key in waiter.Keys)
        {
            if (!_byKey.TryGetValue(key, out var line))
                _byKey[key] = line = new Queue<Waiter>();
            line.Enqueue(waiter);
        }
    }

    public bool IsWaitingOn(CacheKey key) => _byKey.ContainsKey(key);

    /// <summary>Whether the call still waits (it may have been served by a write made while serving another).</summary>
    public bool IsWaiting(Guid requestId, TCall call) => requestId != Guid.Empty
        ? _byRequest.TryGetValue(requestId, out var waiter) && EqualityComparer<TCall>.Default.Equals(waiter.Call, call)
        : _byArrival.Values.Any(w => EqualityComparer<TCall>.Default.Equals(w.Call, call));

    /// <summary>The calls waiting on <paramref name="key"/>, first come first, without removing them (the
    /// partition removes the ones it serves with <see cref="Remove"/>).</summary>
    public IReadOnlyList<(Guid RequestId, TCall Call)> WaitingOn(CacheKey key)
    {
        if (!_byKey.TryGetValue(key, out var line))
            return [];
        return line.Where(w => !w.Gone).Select(w => (w.RequestId, w.Call)).ToArray();
    }

    /// <summary>The call served (or given up): it waits on none of its keys any more.</summary>
    public void Remove(Guid requestId, TCall call)
    {
        var waiter = requestId != Guid.Empty && _byRequest.TryGetValue(requestId, out var found)
            ? found
            : _byArrival.Values.FirstOrDefault(w => EqualityComparer<TCall>.Default.Equals(w.Call, call));
        if (waiter is not null)
            Drop(waiter);
    }

    /// <summary>Removes the call of <paramref name="requestId"/>; false when no such call waits.</summary>
    public bool TryStop(Guid requestId, out TCall call)
    {
        call = default!;
        if (requestId == Guid.Empty || !_byRequest.TryGetValue(requestId, out var waiter))
            return false;
        Drop(waiter);
        call = waiter.Call;
        return true;
    }

    /// <summary>The calls whose wait has ended by <paramref name="now"/> (Unix ms), removed, first due first.</summary>
    public IReadOnlyList<TCall> Due(long now)
    {
        var due = new List<TCall>();
        while (_wakeUps.Count > 0 && _wakeUps.Min.WakeAt <= now)
        {
            var waiter = _byArrival[_wakeUps.Min.Arrival];
            due.Add(waiter.Call);
            Drop(waiter);
        }
        return due;
    }

    /// <summary>Every waiting call, removed (the partition stops: they are left to retry at its next home).</summary>
    public IReadOnlyList<TCall> RemoveAll()
    {
        var all = _byArrival.Values.OrderBy(w => w.Arrival).Select(w => w.Call).ToArray();
        _byRequest.Clear();
        _byKey.Clear();
        _wakeUps.Clear();
        _byArrival.Clear();
        return all;
    }

    private void Drop(Waiter waiter)
    {
        waiter.Gone = true;
        _byArrival.Remove(waiter.Arrival);
        _wakeUps.Remove((waiter.WakeAt, waiter.Arrival));
        if (waiter.RequestId != Guid.Empty)
            _byRequest.Remove(waiter.RequestId);
        foreach (var key in waiter.Keys)
        {
            var line = _byKey[key];
            // Gone waiters leave the front of a line at once; one further back goes when it reaches the front.
            while (line.Count > 0 && line.Peek().Gone)
                line.Dequeue();
            if (line.Count == 0)
                _byKey.Remove(key);
        }
    }

    private sealed class Waiter(Guid requestId, TCall call, CacheKey[] keys, long wakeAt, long arrival)
    {
        public Guid RequestId { get; } = requestId;
        public TCall Call { get; set; } = call;
        public CacheKey[] Keys { get; } = keys;
        public long WakeAt { get; } = wakeAt;
        public long Arrival { get; } = arrival;
        public bool Gone { get; set; }
    }
}
