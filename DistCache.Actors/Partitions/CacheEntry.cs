using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>One key's value with what the partition tracks about it. A struct held inline in the
/// partition's dictionary slot, so a key costs no entry object of its own (its header and the reference
/// to it were about 32 B per key); the <see cref="EntryTable"/> changes it in place through a reference
/// to the slot.</summary>
public struct CacheEntry
{
    // Dictionary slot, key and value array headers: measured roughly, not exactly.
    private const int OverheadBytes = 120;

    public ValueKind Kind;
    public byte[] Data;
    public long Version;

    /// <summary>Unix time in ms; 0 means the entry never expires.</summary>
    public long ExpiresAt;

    /// <summary>The type of the value held. Every <see cref="ValueKind"/> tag is a string's; a collection
    /// type will mark its entries with a tag of its own.</summary>
    public readonly DataType Type => StringType.Instance;

    /// <summary>The value as the protocol carries it (a new small object on each read).</summary>
    public readonly CacheValue Value => new(Kind, Data);

    public readonly bool IsExpired(long now) => ExpiresAt != 0 && ExpiresAt <= now;

    public readonly long SizeWith(CacheKey key) => OverheadBytes + key.Length + Type.PayloadBytes(this);

    /// <summary>What an entry holding the string <paramref name="value"/> under <paramref name="key"/> is counted as.</summary>
    public static long SizeOf(CacheKey key, CacheValue value) => OverheadBytes + key.Length + StringType.PayloadBytes(value);
}
