using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Actors.PubSub;

/// <summary>The .NET clients' subscriptions on this node, each a lease (<see cref="ClientSubscriptions"/>) kept
/// on the node's <see cref="PubSubBroker"/> as one <see cref="ClientSubscriber"/> per client, as a Redis
/// connection is one subscriber. Pure and single-threaded: the <see cref="ClientSubscriptionsActor"/> owns it.</summary>
public sealed class ClientRegistrations(PubSubBroker broker, TimeSpan lease, Func<long> newRegistration)
{
    private readonly Dictionary<Guid, Entry> _clients = [];

    public int Count => _clients.Count;

    /// <summary>Applies a lease sent by <paramref name="client"/>: the registration then holds exactly its channels
    /// and patterns, and lasts the lease from <paramref name="nowMs"/>. An empty lease ends it. The
    /// grant is told to the client before anything new is subscribed, so it arrives ahead of every message the
    /// client could not yet tell from another node's.</summary>
    public void Renew(ClientSubscriptions subscriptions, ICanTell client, long nowMs)
    {
        if (subscriptions.Channels.Length == 0 && subscriptions.Patterns.Length == 0)
        {
            Release(subscriptions.SubscriberId);
            return;
        }
        if (!_clients.TryGetValue(subscriptions.SubscriberId, out var entry))
            _clients[subscriptions.SubscriberId] = entry = new Entry(new ClientSubscriber(newRegistration(), client));
        entry.Subscriber.Client = client;
        entry.RenewedAtMs = nowMs;
        client.Tell(new SubscriptionsGranted(subscriptions.Sequence, entry.Subscriber.Registration), ActorRefs.NoSender);
        Reconcile(entry.Channels, subscriptions.Channels,
            channel => broker.Subscribe(entry.Subscriber, channel, sharded: false),
            channel => broker.Unsubscribe(entry.Subscriber, channel, sharded: false));
        Reconcile(entry.Patterns, subscriptions.Patterns,
            pattern => broker.SubscribePattern(entry.Subscriber, pattern),
            pattern => broker.UnsubscribePattern(entry.Subscriber, pattern));
    }

    /// <summary>Ends the registrations whose lease has lapsed (their client is gone, or now leases elsewhere).</summary>
    public int Expire(long nowMs)
    {
        var lapsed = _clients.Where(c => nowMs - c.Value.RenewedAtMs >= lease.TotalMilliseconds).Select(c => c.Key).ToArray();
        foreach (var id in lapsed)
            Release(id);
        return lapsed.Length;
    }

    public void ReleaseAll()
    {
        foreach (var id in _clients.Keys.ToArray())
            Release(id);
    }

    private void Release(Guid id)
    {
        if (!_clients.Remove(id, out var entry))
            return;
        foreach (var channel in entry.Channels)
            broker.Unsubscribe(entry.Subscriber, channel, sharded: false);
        foreach (var pattern in entry.Patterns)
            broker.UnsubscribePattern(entry.Subscriber, pattern);
    }

    // Only what changed touches the broker: a renewal that changes nothing takes no lock.
    private static void Reconcile(HashSet<CacheKey> held, CacheKey[] wanted, Action<CacheKey> add, Action<CacheKey> remove)
    {
        var target = wanted.Where(k => !k.IsNull).ToHashSet();
        foreach (var gone in held.Where(k => !target.Contains(k)).ToArray())
        {
            held.Remove(gone);
            remove(gone);
        }
        foreach (var name in target)
        {
            if (held.Add(name))
                add(name);
        }
    }

    private sealed class Entry(ClientSubscriber subscriber)
    {
        public ClientSubscriber Subscriber { get; } = subscriber;
        public HashSet<CacheKey> Channels { get; } = [];
        public HashSet<CacheKey> Patterns { get; } = [];
        public long RenewedAtMs { get; set; }
    }
}
