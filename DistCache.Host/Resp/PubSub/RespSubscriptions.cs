using DistCache.Protocol;

namespace DistCache.Host.Resp.PubSub;

/// <summary>What one connection is subscribed to: channels (SUBSCRIBE), patterns (PSUBSCRIBE) and shard
/// channels (SSUBSCRIBE). Only the connection's read loop changes it.</summary>
public sealed class RespSubscriptions
{
    public HashSet<CacheKey> Channels { get; } = [];
    public HashSet<CacheKey> Patterns { get; } = [];
    public HashSet<CacheKey> ShardChannels { get; } = [];

    /// <summary>The count SUBSCRIBE, PSUBSCRIBE and their UNSUBSCRIBEs report (Redis's clientSubscriptionsCount).</summary>
    public int Count => Channels.Count + Patterns.Count;

    /// <summary>The count SSUBSCRIBE and SUNSUBSCRIBE report.</summary>
    public int ShardCount => ShardChannels.Count;

    /// <summary>A RESP2 connection with any subscription may run only the subscribe commands, PING, QUIT and RESET.</summary>
    public bool Any => Count + ShardCount > 0;
}
