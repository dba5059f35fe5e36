using System.Threading.Channels;
using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Client.PubSub;

/// <summary>Channels or patterns subscribed to, and the messages published on them since the subscribe returned,
/// each publisher's in the order published: enumerate it (<c>await foreach</c>), once. Disposing unsubscribes
/// and ends the enumeration; so does disposing the client. Messages wait here until read, up to
/// <see cref="DistCacheClientOptions.SubscriptionBuffer"/>; beyond that new ones are dropped and counted in
/// <see cref="Dropped"/> (Redis disconnects such a slow subscriber instead).</summary>
public sealed class DistCacheSubscription : IAsyncEnumerable<DistCacheMessage>, IAsyncDisposable, ISubscriptionSink
{
    private readonly Channel<DistCacheMessage> _messages;
    private readonly IActorRef _keeper;
    private long _dropped;
    private int _disposed;

    internal DistCacheSubscription(IActorRef keeper, CacheKey[] channels, CacheKey[] patterns, int buffer)
    {
        _keeper = keeper;
        Channels = channels;
        Patterns = patterns;
        _messages = Channel.CreateBounded<DistCacheMessage>(
            new BoundedChannelOptions(buffer) { FullMode = BoundedChannelFullMode.DropWrite, SingleWriter = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>The channels subscribed by name.</summary>
    public CacheKey[] Channels { get; }

    /// <summary>The glob patterns subscribed (PSUBSCRIBE's, matched as Redis matches them).</summary>
    public CacheKey[] Patterns { get; }

    /// <summary>Messages dropped because the buffer was full when they arrived.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The messages, as they come, until the subscription or the client is disposed.</summary>
    public IAsyncEnumerable<DistCacheMessage> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _messages.Reader.ReadAllAsync(cancellationToken);

    public IAsyncEnumerator<DistCacheMessage> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Unsubscribes: no message reaches this subscription from now on, and the node stops sending what
    /// no other subscription of the client holds.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _keeper.Tell(new SubscriptionKeeper.Unsubscribe(this));
            _messages.Writer.TryComplete();
        }
        return ValueTask.CompletedTask;
    }

    void ISubscriptionSink.Deliver(DistCacheMessage message) => _messages.Writer.TryWrite(message);

    void ISubscriptionSink.Complete() => _messages.Writer.TryComplete();
}
