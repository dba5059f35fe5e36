using DistCache.Protocol;

namespace DistCache.Client.PubSub;

/// <summary>One subscription as the <see cref="SubscriptionSet"/> sees it: what it holds, and where its messages go.</summary>
internal interface ISubscriptionSink
{
    CacheKey[] Channels { get; }

    CacheKey[] Patterns { get; }

    /// <summary>Called on the keeper's thread: must only queue the message.</summary>
    void Deliver(DistCacheMessage message);

    /// <summary>The client is gone: the subscription's stream ends.</summary>
    void Complete();
}
