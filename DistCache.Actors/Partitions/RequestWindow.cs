using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The most recent write request ids of a partition with the reply each got, so a client that
/// retries (after a timeout or a failover) gets the original answer instead of applying the write twice.
/// Rebuilt from events on recovery and kept in snapshots, so it survives a partition moving to another node.
/// <para>An id is needed only while a retry of it could still be applied. A request carries its caller's
/// deadline, and a partition applies nothing within max-clock-skew of it (see <see cref="RequestDeadline"/>),
/// so a live write's id is forgotten once its deadline plus that skew has passed: the window holds the last
/// few seconds of writes rather than the last <c>capacity</c>. Ids without a known deadline (recovered
/// from the journal or a snapshot, which do not carry it) leave only when the window is full, oldest
/// first. Forgetting is in arrival order: an id with a later deadline keeps the ones behind it, which only
/// errs on the side of remembering.</para></summary>
public sealed class RequestWindow
{
    private readonly int _capacity;
    private readonly Dictionary<Guid, ICacheReply> _replies = new();
    private readonly Queue<(Guid Id, long ForgetAfterMs)> _order = new();
    private int _highWater;

    public RequestWindow(int capacity) => _capacity = capacity;

    public int Count => _replies.Count;

    public bool TryGet(Guid requestId, out ICacheReply reply)
    {
        if (requestId != Guid.Empty && _replies.TryGetValue(requestId, out reply!))
            return true;
        reply = null!;
        return false;
    }

    /// <param name="forgetAfterMs">When no retry of this request can be applied any more (Unix ms); 0: unknown.</param>
    /// <param name="nowMs">The partition's clock, to forget what has aged out meanwhile.</param>
    public void Remember(Guid requestId, ICacheReply reply, long forgetAfterMs = 0, long nowMs = 0)
    {
        Forget(nowMs);
        if (requestId == Guid.Empty || !_replies.TryAdd(requestId, reply))
            return;
        _order.Enqueue((requestId, forgetAfterMs));
        _highWater = Math.Max(_highWater, _replies.Count);
        while (_order.Count > _capacity)
            _replies.Remove(_order.Dequeue().Id);
    }

    /// <summary>Forgets the oldest ids whose retries can no longer be applied.</summary>
    public void Forget(long nowMs)
    {
        var forgot = false;
        while (_order.TryPeek(out var oldest) && oldest.ForgetAfterMs > 0 && oldest.ForgetAfterMs <= nowMs)
        {
            _replies.Remove(_order.Dequeue().Id);
            forgot = true;
        }
        // A dictionary keeps the capacity of its busiest moment: give it back once the window is a quarter of that.
        if (forgot && _replies.Count * 4 < _highWater)
        {
            _replies.TrimExcess();
            _order.TrimExcess();
            _highWater = _replies.Count;
        }
    }

    /// <summary>Oldest first, so restoring keeps the same eviction order.</summary>
    public IReadOnlyList<KeyValuePair<Guid, ICacheReply>> Snapshot() =>
        _order.Select(entry => new KeyValuePair<Guid, ICacheReply>(entry.Id, _replies[entry.Id])).ToArray();

    public void Restore(IEnumerable<KeyValuePair<Guid, ICacheReply>> entries)
    {
        _replies.Clear();
        _order.Clear();
        foreach (var (id, reply) in entries)
            Remember(id, reply);
    }
}
