namespace DistCache.Protocol;

/// <summary>PUBLISH from the .NET client: the receiving node publishes it as a Redis connection's PUBLISH
/// would (its own subscribers, then every other node's) and answers how many of its own subscribers got it,
/// as <see cref="CounterValue"/> (Redis Cluster counts the receiving node's clients only). A write, so it
/// carries a request id: a retry through the same node is answered with the first count, not published again.
/// Not keyed: it goes to whichever node the client's ClusterClient reaches, never to a partition.</summary>
public sealed record PublishMessage(CacheKey Channel, byte[] Message) : IClientCommand, IWriteCommand;

/// <summary>A .NET client's subscriptions, leased to the node its ClusterClient reaches now: sent again every
/// <see cref="RenewInterval"/>, dropped by that node once none has come for <see cref="Lease"/>, and at once
/// when both lists are empty. Each lease carries a larger <see cref="Sequence"/> than the last, so the client
/// can tell which node's grant is its newest. The node sends messages to the lease's sender (the client's
/// response tunnel), which is why no actor reference travels in it.</summary>
public sealed record ClientSubscriptions(Guid SubscriberId, long Sequence, CacheKey[] Channels, CacheKey[] Patterns) : IDistCacheMessage
{
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(1);

    // Long beside the renewal, so a client starved for a few seconds (GC, a busy machine) keeps its
    // registration; a node that holds one for a client gone elsewhere only sends messages the client drops.
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
}

/// <summary>A node's answer to a lease: it now delivers every channel and pattern of lease
/// <see cref="Sequence"/>, each message tagged with <see cref="Registration"/> (a number of that node's for
/// that client). Sent before the node subscribes anything new, so it reaches the client before any message
/// it grants.</summary>
public sealed record SubscriptionsGranted(long Sequence, long Registration) : IDistCacheMessage;

/// <summary>A published message for a .NET client. <see cref="Pattern"/> is the pattern it matched, the null key
/// for a channel subscribed by name. <see cref="Registration"/> says which node's registration sent it: the
/// client keeps only those of the node that granted its newest lease.</summary>
public sealed record ClientDelivery(long Registration, CacheKey Channel, CacheKey Pattern, byte[] Message) : IDistCacheMessage;
