using DistCache.Protocol;

namespace DistCache.Host.Resp.Tracking;

/// <summary>One invalidation message owed to a tracking connection: these keys (Redis sends one key a message
/// in the default mode, a prefix's keys together in BCAST), or null for every key (FLUSHALL, or this node may
/// have missed invalidations). <see cref="Client"/> is the tracking connection; where it goes (itself or its
/// REDIRECT) is decided when it is sent.</summary>
public readonly record struct Invalidation(long Client, CacheKey[]? Keys);
