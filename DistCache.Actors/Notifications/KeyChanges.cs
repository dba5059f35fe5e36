using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Actors.Notifications;

/// <summary>A node's observers of its partitions' changes (<see cref="IKeyChangeObserver"/>). Partitions
/// check <see cref="Active"/> before they build anything to report, so with every observer off a write
/// costs a few field reads.</summary>
public sealed class KeyChanges
{
    private volatile IKeyChangeObserver[] _observers = [];

    public void Add(IKeyChangeObserver observer)
    {
        lock (this)
            _observers = [.. _observers, observer];
    }

    public bool Active
    {
        get
        {
            foreach (var observer in _observers)
                if (observer.Enabled)
                    return true;
            return false;
        }
    }

    /// <summary>Whether an enabled observer wants the keys a write creates.</summary>
    public bool WantsCreatedKeys
    {
        get
        {
            foreach (var observer in _observers)
                if (observer.Enabled && observer.WantsCreatedKeys)
                    return true;
            return false;
        }
    }

    public void Written(int partition, IClientCommand command, PartitionChanged write, IReadOnlyCollection<CacheKey>? created = null)
    {
        foreach (var observer in _observers)
            if (observer.Enabled)
                observer.Written(partition, command, write, created);
    }

    public void Expired(int partition, CacheKey key)
    {
        foreach (var observer in _observers)
            if (observer.Enabled)
                observer.Expired(partition, key);
    }

    public void Recovered(int partition)
    {
        foreach (var observer in _observers)
            if (observer.Enabled)
                observer.Recovered(partition);
    }
}
