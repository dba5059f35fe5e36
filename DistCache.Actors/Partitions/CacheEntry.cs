using DistCache.Actors.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>One key's value with what the partition tracks about it. Mutable and owned by one partition.</summary>
public sealed class CacheEntry
{
    // Dictionary slot, LRU node, entry object and key string: measured roughly, not exactly.
    private const int OverheadBytes = 120;

    public CacheEntry(string key, CacheValue value, long version, long expiresAt, LinkedListNode<string>? lru)
    {
        Value = value;
        Version = version;
        ExpiresAt = expiresAt;
        Lru = lru;
        Size = SizeOf(key, value);
    }

    public CacheValue Value { get; set; }
    public long Version { get; set; }

    /// <summary>Unix time in ms; 0 means the entry never expires.</summary>
    public long ExpiresAt { get; set; }

    /// <summary>This entry's place in the recency list; null unless the eviction policy is allkeys-lru.</summary>
    public LinkedListNode<string>? Lru { get; }
    public long Size { get; set; }

    public bool IsExpired(long now) => ExpiresAt != 0 && ExpiresAt <= now;

    public static long SizeOf(string key, CacheValue value) => OverheadBytes + key.Length * 2L + value.Data.Length;
}
