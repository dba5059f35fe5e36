using System.Text;
using DistCache.Protocol;

namespace DistCache.Client.PubSub;

/// <summary>A message received on a subscription: the channel it was published on, the pattern it matched (the
/// null key when the channel was subscribed by name) and its payload, bytes as published.</summary>
public sealed record DistCacheMessage(CacheKey Channel, CacheKey Pattern, byte[] Payload)
{
    /// <summary>The payload as UTF-8 text (what redis-cli shows for a text message).</summary>
    public string Text => Encoding.UTF8.GetString(Payload);
}
