using DistCache.Actors.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>One key's value with what the partition tracks about it. Mutable and owned by one partition.
/// The value's kind and bytes are held here directly rather than as a <see cref="CacheValue"/> object:
/// with a million keys that object alone would be 32 MB.</summary>
public sealed class CacheEntry
{
    // Dictionary slot, entry object and key string: measured roughly, not exactly.
    private const int OverheadBytes = 120;

    private readonly int _keyLength;

    public CacheEntry(string key, CacheValue value, long version, long expiresAt, LinkedListNode<string>? lru)
    {
        _keyLength = key.Length;
        Kind = value.Kind;
        Data = value.Data;
        Version = version;
        ExpiresAt = expiresAt;
        Lru = lru;
    }

    public ValueKind Kind { get; private set; }
    public byte[] Data { get; private set; }

    /// <summary>The value as the protocol carries it (a new small object on each read).</summary>
    public CacheValue Value
    {
        get => new(Kind, Data);
        set
        {
            Kind = value.Kind;
            Data = value.Data;
        }
    }

    public long Version { get; set; }

    /// <summary>Unix time in ms; 0 means the entry never expires.</summary>
    public long ExpiresAt { get; set; }

    /// <summary>This entry's place in the recency list; null unless the eviction policy is allkeys-lru.</summary>
    public LinkedListNode<string>? Lru { get; }

    public long Size => OverheadBytes + _keyLength * 2L + Data.Length;

    public bool IsExpired(long now) => ExpiresAt != 0 && ExpiresAt <= now;

    public static long SizeOf(string key, CacheValue value) => OverheadBytes + key.Length * 2L + value.Data.Length;
}
