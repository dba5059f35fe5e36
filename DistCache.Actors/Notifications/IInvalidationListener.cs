using DistCache.Protocol;

namespace DistCache.Actors.Notifications;

/// <summary>Something on this node that must forget what it knows of keys when they change anywhere in the
/// cluster: a Redis connection with CLIENT TRACKING on, or the .NET clients' near caches registered here.
/// Called on the <see cref="InvalidationHub"/>'s relay thread: it must only queue, never block.</summary>
public interface IInvalidationListener
{
    /// <summary>These keys changed (written, deleted, expired or evicted), through any node and any protocol.</summary>
    void Invalidated(IReadOnlyList<CacheKey> keys);

    /// <summary>Any key may have changed: FLUSHALL, a partition that recovered (a move, a crash), or this node
    /// stopped hearing from another node, so invalidations may have been lost.</summary>
    void InvalidatedAll();
}
