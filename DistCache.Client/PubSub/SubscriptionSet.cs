using DistCache.Protocol;

namespace DistCache.Client.PubSub;

/// <summary>A client's subscriptions and the state of their lease: the union of channels and patterns to lease
/// (<see cref="NextLease"/>), which node's registration the client listens to (the one that granted its newest
/// lease), and who gets each delivery. Pure and single-threaded: the <see cref="SubscriptionKeeper"/> owns it.
/// <para>Only the newest grant's node is listened to: while a lease moves between nodes both may hold a
/// registration for a few seconds and send the same message, and the older one's copies are dropped here.</para></summary>
internal sealed class SubscriptionSet
{
    private readonly List<ISubscriptionSink> _sinks = [];
    private readonly Dictionary<ISubscriptionSink, long> _waiting = [];
    private long _sequence;
    private long _grantedSequence;

    public Guid SubscriberId { get; } = Guid.NewGuid();

    /// <summary>The registration deliveries must carry (0 until a node has granted a lease).</summary>
    public long Registration { get; private set; }

    public bool IsEmpty => _sinks.Count == 0;

    public IReadOnlyList<ISubscriptionSink> Sinks => _sinks;

    /// <summary>Adds a subscription; it counts as subscribed once a lease that holds it is granted.</summary>
    public void Add(ISubscriptionSink sink)
    {
        _sinks.Add(sink);
        _waiting[sink] = _sequence + 1;
    }

    /// <summary>Removes a subscription: it gets nothing more, and the next lease leaves out what only it held.</summary>
    public bool Remove(ISubscriptionSink sink)
    {
        _waiting.Remove(sink);
        return _sinks.Remove(sink);
    }

    /// <summary>The lease to send now: every channel and pattern any subscription holds, once.</summary>
    public ClientSubscriptions NextLease() => new(SubscriberId, ++_sequence,
        _sinks.SelectMany(s => s.Channels).Distinct().ToArray(),
        _sinks.SelectMany(s => s.Patterns).Distinct().ToArray());

    /// <summary>A node granted a lease: when it is the newest granted, its node is the one listened to from now
    /// on, and the subscriptions it holds that waited are returned (now subscribed). An older grant (from a
    /// node the client has since left) changes nothing.</summary>
    public List<ISubscriptionSink> Granted(SubscriptionsGranted grant)
    {
        var confirmed = new List<ISubscriptionSink>();
        if (grant.Sequence <= _grantedSequence || grant.Sequence > _sequence)
            return confirmed;
        _grantedSequence = grant.Sequence;
        Registration = grant.Registration;
        foreach (var (sink, needed) in _waiting)
        {
            if (needed <= grant.Sequence)
                confirmed.Add(sink);
        }
        foreach (var sink in confirmed)
            _waiting.Remove(sink);
        return confirmed;
    }

    /// <summary>The subscriptions still waiting for a grant.</summary>
    public IEnumerable<ISubscriptionSink> Waiting => _waiting.Keys;

    /// <summary>Hands a delivery to each subscription that holds its channel (by name) or its pattern; a delivery
    /// from another registration than the current one is dropped. Returns how many got it.</summary>
    public int Deliver(ClientDelivery delivery)
    {
        if (delivery.Registration != Registration || Registration == 0)
            return 0;
        var message = new DistCacheMessage(delivery.Channel, delivery.Pattern, delivery.Message);
        var delivered = 0;
        foreach (var sink in _sinks)
        {
            if (Holds(delivery.Pattern.IsNull ? sink.Channels : sink.Patterns, delivery.Pattern.IsNull ? delivery.Channel : delivery.Pattern))
            {
                sink.Deliver(message);
                delivered++;
            }
        }
        return delivered;
    }

    private static bool Holds(CacheKey[] names, CacheKey name)
    {
        foreach (var held in names)
        {
            if (held.Equals(name))
                return true;
        }
        return false;
    }
}
