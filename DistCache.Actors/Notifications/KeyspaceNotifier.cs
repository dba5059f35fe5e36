using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Actors.PubSub;
using DistCache.Protocol;

namespace DistCache.Actors.Notifications;

/// <summary>notify-keyspace-events on one node: the partitions' observer that turns their writes, expiries
/// and evictions into Redis's <c>__keyspace@0__</c> and <c>__keyevent@0__</c> messages. Off (no K or E, or
/// no event class) it is not <see cref="Enabled"/>, so partitions report nothing. On, a partition only
/// queues the write to <see cref="KeyspacePublisher"/> (one Tell): the events are worked out and
/// published there, off the partition's thread, in the order each partition queued them, so a key's
/// events keep their order.</summary>
public sealed class KeyspaceNotifier : IKeyChangeObserver
{
    private volatile int _flags;
    private volatile bool _enabled;
    private IActorRef _publisher = ActorRefs.Nobody;

    public KeyspaceNotifier(KeyspaceEventClasses flags = KeyspaceEventClasses.None) => Apply(flags);

    public KeyspaceEventClasses Flags => (KeyspaceEventClasses)_flags;

    public bool Enabled => _enabled;

    /// <summary>Starts the node's publisher, which also carries CONFIG SET to the other nodes.</summary>
    public void Start(ActorSystem system, PubSubBroker pubSub) =>
        _publisher = system.ActorOf(KeyspacePublisher.Props(this, pubSub), KeyspacePublisher.Name);

    /// <summary>CONFIG SET: here at once, then on every other node (a node not started yet applies it here only).</summary>
    public void Set(KeyspaceEventClasses flags)
    {
        Apply(flags);
        _publisher.Tell(new KeyspacePublisher.SetHere(flags));
    }

    internal void Apply(KeyspaceEventClasses flags)
    {
        _flags = (int)flags;
        _enabled = KeyspaceEventFlags.Delivers(flags);
    }

    public void Written(int partition, IClientCommand command, PartitionChanged write) =>
        _publisher.Tell(new KeyspacePublisher.Write(command, write));

    public bool WantsCreatedKeys => (Flags & KeyspaceEventClasses.New) != 0;

    public void Written(int partition, IClientCommand command, PartitionChanged write, IReadOnlyCollection<CacheKey>? created) =>
        _publisher.Tell(new KeyspacePublisher.Write(command, write, created));

    public void Expired(int partition, CacheKey key) => _publisher.Tell(new KeyspacePublisher.Expiry(key));

    // A recovered partition's keys were reported when they were written: nothing to say now.
    public void Recovered(int partition)
    {
    }
}
