using System.Runtime.CompilerServices;
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

    private const byte StringTag = 0;
    private const byte HashTag = 1;
    private const byte ListTag = 2;
    private const byte SortedSetTag = 4;
    private const byte SetTag = 3;

    public ValueKind Kind;

    // Which type the payload is. A byte beside Kind, in what was padding, and one reference for every
    // type's payload, so a string entry is as small as before collections existed.
    private byte _type;
    private object _payload;

    public long Version;

    /// <summary>Unix time in ms; 0 means the entry never expires.</summary>
    public long ExpiresAt;

    /// <summary>A string's bytes (empty for a collection; commands check the type first). Setting them
    /// makes the entry a string.</summary>
    public byte[] Data
    {
        readonly get => _type == StringTag ? Unsafe.As<byte[]>(_payload) : [];
        set
        {
            _payload = value;
            _type = StringTag;
        }
    }

    /// <summary>A hash's fields, null for another type. Setting them makes the entry a hash.</summary>
    public HashValue? Hash
    {
        readonly get => _type == HashTag ? Unsafe.As<HashValue>(_payload) : null;
        set
        {
            _payload = value!;
            _type = HashTag;
            Kind = default;
        }
    }

    /// <summary>A list's elements, null for another type. Setting them makes the entry a list.</summary>
    public ListValue? List
    {
        readonly get => _type == ListTag ? Unsafe.As<ListValue>(_payload) : null;
        set
        {
            _payload = value!;
            _type = ListTag;
            Kind = default;
        }
    }

    /// <summary>A sorted set's members, null for another type. Setting them makes the entry a sorted set.</summary>
    public SortedSetValue? SortedSet
    {
        readonly get => _type == SortedSetTag ? Unsafe.As<SortedSetValue>(_payload) : null;
        set
        {
            _payload = value!;
            _type = SortedSetTag;
            Kind = default;
        }
    }

    /// <summary>A set's members, null for another type. Setting them makes the entry a set.</summary>
    public MemberSet? Set
    {
        readonly get => _type == SetTag ? Unsafe.As<MemberSet>(_payload) : null;
        set
        {
            _payload = value!;
            _type = SetTag;
            Kind = default;
        }
    }

    /// <summary>The type of the value held.</summary>
    public readonly DataType Type => _type switch
    {
        HashTag => HashType.Instance,
        ListTag => ListType.Instance,
        SortedSetTag => SortedSetType.Instance,
        SetTag => SetType.Instance,
        _ => StringType.Instance,
    };

    /// <summary>The value as the protocol carries it (a new small object on each read).</summary>
    public readonly CacheValue Value => new(Kind, Data);

    public readonly bool IsExpired(long now) => ExpiresAt != 0 && ExpiresAt <= now;

    public readonly long SizeWith(CacheKey key) => OverheadBytes + key.Length + Type.PayloadBytes(this);

    /// <summary>What an entry holding the string <paramref name="value"/> under <paramref name="key"/> is counted as.</summary>
    public static long SizeOf(CacheKey key, CacheValue value) => OverheadBytes + key.Length + StringType.PayloadBytes(value);

    /// <summary>What an entry whose value is counted as <paramref name="payloadBytes"/> is counted as.</summary>
    public static long SizeOf(CacheKey key, long payloadBytes) => OverheadBytes + key.Length + payloadBytes;
}
