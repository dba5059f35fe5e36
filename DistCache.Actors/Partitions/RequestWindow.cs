using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The most recent write request ids of a partition with the reply each got, so a client that
/// retries (after a timeout or a failover) gets the original answer instead of applying the write twice.
/// Bounded: the oldest id leaves when the window is full. Rebuilt from events on recovery and kept in
/// snapshots, so it survives a partition moving to another node.</summary>
public sealed class RequestWindow
{
    private readonly int _capacity;
    private readonly Dictionary<Guid, ICacheReply> _replies = new();
    private readonly Queue<Guid> _order = new();

    public RequestWindow(int capacity) => _capacity = capacity;

    public int Count => _replies.Count;

    public bool TryGet(Guid requestId, out ICacheReply reply)
    {
        if (requestId != Guid.Empty && _replies.TryGetValue(requestId, out reply!))
            return true;
        reply = null!;
        return false;
    }

    public void Remember(Guid requestId, ICacheReply reply)
    {
        if (requestId == Guid.Empty || !_replies.TryAdd(requestId, reply))
            return;
        _order.Enqueue(requestId);
        while (_order.Count > _capacity)
            _replies.Remove(_order.Dequeue());
    }

    /// <summary>Oldest first, so restoring keeps the same eviction order.</summary>
    public IReadOnlyList<KeyValuePair<Guid, ICacheReply>> Snapshot() =>
        _order.Select(id => new KeyValuePair<Guid, ICacheReply>(id, _replies[id])).ToArray();

    public void Restore(IEnumerable<KeyValuePair<Guid, ICacheReply>> entries)
    {
        _replies.Clear();
        _order.Clear();
        foreach (var (id, reply) in entries)
            Remember(id, reply);
    }
}
