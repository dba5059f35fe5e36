using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace DistCache.Client.Hybrid;

/// <summary>An entry HybridCache is filling in: as MemoryCache's own entries, it is committed when disposed, but to
/// <see cref="CoherentMemoryCache"/>, which decides then whether it may be kept (see <see cref="L1FillGuard"/>).</summary>
internal sealed class PendingL1Entry(object key, CoherentMemoryCache owner) : ICacheEntry
{
    private bool _disposed;

    public object Key { get; } = key;
    public object? Value { get; set; }
    public DateTimeOffset? AbsoluteExpiration { get; set; }
    public TimeSpan? AbsoluteExpirationRelativeToNow { get; set; }
    public TimeSpan? SlidingExpiration { get; set; }
    public IList<IChangeToken> ExpirationTokens { get; } = new List<IChangeToken>();
    public IList<PostEvictionCallbackRegistration> PostEvictionCallbacks { get; } = new List<PostEvictionCallbackRegistration>();
    public CacheItemPriority Priority { get; set; } = CacheItemPriority.Normal;
    public long? Size { get; set; }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        owner.Commit(this);
    }

    /// <summary>Copies what HybridCache set onto an entry of the real cache, which commits it when disposed.</summary>
    public void CopyTo(ICacheEntry entry)
    {
        entry.Value = Value;
        if (AbsoluteExpiration is { } at)
            entry.AbsoluteExpiration = at;
        if (AbsoluteExpirationRelativeToNow is { } relative)
            entry.AbsoluteExpirationRelativeToNow = relative;
        if (SlidingExpiration is { } sliding)
            entry.SlidingExpiration = sliding;
        foreach (var token in ExpirationTokens)
            entry.ExpirationTokens.Add(token);
        foreach (var callback in PostEvictionCallbacks)
            entry.PostEvictionCallbacks.Add(callback);
        entry.Priority = Priority;
        entry.Size = Size;
    }

    /// <summary>An entry refused is reported as added and removed at once: HybridCache counts references to the buffers
    /// of its entries and releases them in its eviction callback.</summary>
    public void Refuse()
    {
        foreach (var callback in PostEvictionCallbacks)
            callback.EvictionCallback?.Invoke(Key, Value, EvictionReason.Removed, callback.State);
    }
}
