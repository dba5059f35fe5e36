using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Actors.PubSub;

/// <summary>One .NET client's subscriptions on this node, as the <see cref="PubSubBroker"/> sees them: each
/// message becomes a <see cref="ClientDelivery"/> told to the client's response tunnel. Telling only queues,
/// as <see cref="ISubscriber"/> requires; a publisher's messages keep their order (one thread tells them, and
/// a mailbox keeps the order of what one thread enqueues).</summary>
public sealed class ClientSubscriber(long registration, ICanTell client) : ISubscriber
{
    private volatile ICanTell _client = client;

    public long Registration => registration;

    /// <summary>Where messages go: the sender of the client's latest lease (its tunnel can be replaced).</summary>
    public ICanTell Client
    {
        get => _client;
        set => _client = value;
    }

    public void Deliver(CacheKey channel, byte[] message, CacheKey pattern, bool sharded) =>
        _client.Tell(new ClientDelivery(registration, channel, pattern, message), ActorRefs.NoSender);
}
