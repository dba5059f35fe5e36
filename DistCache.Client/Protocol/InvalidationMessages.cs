namespace DistCache.Protocol;

/// <summary>Between the invalidation relays of two nodes, every 100 ms while either wants the other's
/// invalidations. <see cref="Interested"/>: the sender wants the receiver's. <see cref="Covering"/>: the number of the
/// sender's current unbroken stretch of forwarding its invalidations to the receiver (0: it does not); a new
/// number means some may have been missed in between. <see cref="Ping"/>: the sender's ping, which the receiver
/// echoes; <see cref="Echo"/>: the last ping of the receiver that the sender had when it sent this. Every
/// invalidation of a write the sender acknowledged before it saw that ping travels ahead of this tick.</summary>
public sealed record InvalidationTick(long Seq, bool Interested, long Covering, long Ping, long Echo) : IDistCacheMessage;

/// <summary>Keys changed (written, deleted, expired, evicted) on the sending node, or any key
/// (<see cref="All"/>: FLUSHALL, a partition recovered, invalidations possibly lost). <see cref="Seq"/> numbers the
/// messages from one relay to another, ticks included: a gap means one was lost (Akka.Remote drops messages when
/// a connection fails), so whatever the lost one said is unknown.</summary>
public sealed record KeysInvalidated(long Seq, CacheKey[] Keys, bool All) : IDistCacheMessage;

/// <summary>As <see cref="KeysInvalidated"/>, from the node <see cref="Node"/> to a near cache registered there;
/// <see cref="Seq"/> numbers this node's messages to that client, ticks included.</summary>
public sealed record NearCacheInvalidated(string Node, long Seq, CacheKey[] Keys, bool All) : IDistCacheMessage;

/// <summary>A client's near cache, every 100 ms, to the node its ClusterClient reaches: "forward me every
/// invalidation" (a lease of a few seconds), and a ping for the node to echo in <see cref="NearCacheTick"/>.</summary>
public sealed record NearCachePing(Guid ClientId, long Ping) : IDistCacheMessage;

/// <summary>A node to a registered near cache, every 100 ms. <see cref="Node"/> and <see cref="Epoch"/>: who
/// sends, and its unbroken stretch of hearing every other node's invalidations (a change means some may have been
/// missed). <see cref="LastPing"/>: the client's newest ping the node has. <see cref="Covered"/>: the client's
/// newest ping (−1: none) such that every write acknowledged anywhere before the client sent it has had its
/// invalidation sent ahead of this tick.</summary>
public sealed record NearCacheTick(string Node, long Seq, long Epoch, long LastPing, long Covered) : IDistCacheMessage;

/// <summary>GET for a near cache: the value with its remaining time to live.</summary>
public sealed record GetCacheable(CacheKey Key) : ICacheCommand;

/// <summary>The answer to <see cref="GetCacheable"/>. <see cref="TtlMs"/>: −1 when the key does not expire;
/// <see cref="Sliding"/>: reads move its expiry on, so a near cache must not keep it.</summary>
public sealed record FoundCacheable(CacheValue? Value, long TtlMs, bool Sliding) : ICacheReply;
