using DistCache.Protocol;

namespace DistCache.Actors.PubSub;

/// <summary>Whoever receives published messages on this node (a Redis connection). Called on the
/// publisher's thread or the relay's, never under the broker's lock: it must only queue the message.</summary>
public interface ISubscriber
{
    /// <summary>A message on <paramref name="channel"/>; <paramref name="pattern"/> is the PSUBSCRIBE pattern
    /// it matched, the null key for a channel subscribed by name.</summary>
    void Deliver(CacheKey channel, byte[] message, CacheKey pattern, bool sharded);
}
