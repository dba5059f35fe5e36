using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Actors.PubSub;

/// <summary>A node's pub/sub: its subscribers (<see cref="SubscriptionTable"/>, under a lock, since Redis
/// connections subscribe from their own threads) and the way out to the other nodes (<see cref="PubSubRelay"/>).
/// A message published here is delivered to this node's subscribers on the publisher's thread, then the relay
/// sends it to every other node, which delivers it to its own: as Redis Cluster broadcasts PUBLISH over its
/// bus, so a subscription takes effect at once wherever it is made, with no registry to spread first.
/// Delivery is at most once, as in Redis: a node that is unreachable or still joining misses it.</summary>
public sealed class PubSubBroker
{
    private readonly SubscriptionTable _table = new();
    private readonly object _gate = new();
    private IActorRef _relay = ActorRefs.Nobody;
    private int _clientLeases;

    /// <summary>Starts the node's relay (messages published before it is up reach this node only) and the
    /// actor that serves the .NET clients' subscriptions and publishes.</summary>
    public void Start(ActorSystem system)
    {
        _relay = system.ActorOf(PubSubRelay.Props(this), PubSubRelay.Name);
        system.ActorOf(ClientSubscriptionsActor.Props(this), ClientSubscriptionsActor.Name);
    }

    /// <summary>.NET clients holding a subscription lease on this node (kept by the <see cref="ClientSubscriptionsActor"/>).</summary>
    public int ClientLeases => Volatile.Read(ref _clientLeases);

    internal void ClientLeasesNow(int count) => Volatile.Write(ref _clientLeases, count);

    public void Subscribe(ISubscriber subscriber, CacheKey channel, bool sharded)
    {
        lock (_gate)
            _table.Subscribe(subscriber, channel, sharded);
    }

    public void Unsubscribe(ISubscriber subscriber, CacheKey channel, bool sharded)
    {
        lock (_gate)
            _table.Unsubscribe(subscriber, channel, sharded);
    }

    public void SubscribePattern(ISubscriber subscriber, CacheKey pattern)
    {
        lock (_gate)
            _table.SubscribePattern(subscriber, pattern);
    }

    public void UnsubscribePattern(ISubscriber subscriber, CacheKey pattern)
    {
        lock (_gate)
            _table.UnsubscribePattern(subscriber, pattern);
    }

    /// <summary>PUBLISH / SPUBLISH: delivered here at once, then sent to the other nodes. Returns how many
    /// subscribers on this node received it (Redis Cluster counts the receiving node's clients only).</summary>
    public int Publish(CacheKey channel, byte[] message, bool sharded)
    {
        var delivered = Deliver(channel, message, sharded);
        _relay.Tell(new PubSubRelay.Outgoing(new Published(channel.ToArray(), message, sharded)));
        return delivered;
    }

    /// <summary>A message to this node's subscribers only (published here, or relayed from another node).</summary>
    public int Deliver(CacheKey channel, byte[] message, bool sharded)
    {
        List<(ISubscriber Subscriber, CacheKey Pattern)> recipients;
        lock (_gate)
            recipients = _table.Recipients(channel, sharded);
        foreach (var (subscriber, pattern) in recipients)
            subscriber.Deliver(channel, message, pattern, sharded);
        return recipients.Count;
    }

    public List<CacheKey> Channels(CacheKey pattern, bool sharded)
    {
        lock (_gate)
            return _table.Channels(pattern, sharded);
    }

    public int CountSubscribers(CacheKey channel, bool sharded)
    {
        lock (_gate)
            return _table.CountSubscribers(channel, sharded);
    }

    public int PatternCount
    {
        get
        {
            lock (_gate)
                return _table.PatternCount;
        }
    }
}
