using System.Collections.Concurrent;
using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Actors.Notifications;

/// <summary>A node's invalidations: the keys its partitions change, queued on the partitions' threads and
/// sent on by the <see cref="InvalidationRelay"/> to this node's listeners (Redis connections tracking keys,
/// near caches of .NET clients) and to the other nodes that have listeners of their own. It reports nothing,
/// and partitions pay one check per write, while nobody anywhere listens.</summary>
public sealed class InvalidationHub : IKeyChangeObserver
{
    private readonly ConcurrentQueue<CacheKey> _changed = new();
    private int _all;
    private int _signalled;
    private volatile bool _enabled;
    private volatile IInvalidationListener[] _listeners = [];
    private IActorRef _relay = ActorRefs.Nobody;
    private int _nearCaches;

    /// <summary>Starts the node's relay; until then changes are only queued.</summary>
    public void Start(ActorSystem system) =>
        _relay = system.ActorOf(InvalidationRelay.Props(this, Akka.Cluster.Cluster.Get(system)), InvalidationRelay.Name);

    public bool Enabled => _enabled;

    /// <summary>Near caches of .NET clients registered with this node's relay (their leases not lapsed).</summary>
    public int NearCaches => Volatile.Read(ref _nearCaches);

    internal void NearCachesNow(int count) => Volatile.Write(ref _nearCaches, count);

    /// <summary>Set by the relay: whether anyone wants this node's invalidations (<paramref name="others"/>: another
    /// node, or a near cache registered here; listeners added meanwhile count too).</summary>
    internal void Refresh(bool others)
    {
        lock (this)
            _enabled = others || _listeners.Length > 0;
    }

    internal IInvalidationListener[] Listeners => _listeners;

    /// <summary>From now on <paramref name="listener"/> hears of every key changed anywhere in the cluster, once the
    /// other nodes have heard that this one listens (within a tick or two; until then it hears only of this node's).</summary>
    public void Listen(IInvalidationListener listener)
    {
        lock (this)
        {
            _listeners = [.. _listeners, listener];
            _enabled = true;
        }
    }

    public void Unlisten(IInvalidationListener listener)
    {
        lock (this)
            _listeners = _listeners.Where(l => l != listener).ToArray();
    }

    public void Written(int partition, IClientCommand command, PartitionChanged write)
    {
        foreach (var change in write.Changes)
        {
            if (change is AllRemoved)
                Volatile.Write(ref _all, 1);
            else if (change.ChangedKey is { } key)
                _changed.Enqueue(key);
        }
        Signal();
    }

    public void Expired(int partition, CacheKey key)
    {
        _changed.Enqueue(key);
        Signal();
    }

    public void Recovered(int partition)
    {
        Volatile.Write(ref _all, 1);
        Signal();
    }

    // One wake-up message per batch: partitions that change keys while the relay is busy add to the queue only.
    private void Signal()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
            _relay.Tell(InvalidationRelay.Flush.Instance);
    }

    /// <summary>What was changed since the last drain: the keys (each once), or null when any key may have changed.</summary>
    internal CacheKey[]? Drain()
    {
        // Cleared first: a change queued after the drain below signals again.
        Volatile.Write(ref _signalled, 0);
        var all = Interlocked.Exchange(ref _all, 0) == 1;
        if (_changed.IsEmpty && !all)
            return [];
        var keys = new HashSet<CacheKey>();
        while (_changed.TryDequeue(out var key))
            keys.Add(key);
        return all ? null : keys.ToArray();
    }
}
