using System.Text;
using System.Text.Unicode;

namespace DistCache.Protocol;

/// <summary>A key: a byte string, as in Redis and memcached. Two keys are one key only when their bytes are
/// equal, so binary keys (hashes, packed ids) never collide the way they did when keys were decoded as
/// UTF-8 text. A .NET string converts to its UTF-8 bytes, so string keys behave exactly as before and
/// hash to the same partition. The constructor does not copy: whoever makes a key with it hands the array over.</summary>
public readonly struct CacheKey : IEquatable<CacheKey>, IComparable<CacheKey>
{
    // Strict: a string with a lone surrogate has no UTF-8 form, and replacing it would make two strings one key.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[]? _bytes;

    /// <summary>Wraps <paramref name="bytes"/> without copying; the caller must not change them afterwards.</summary>
    public CacheKey(byte[] bytes) => _bytes = bytes;

    /// <summary>A key made of a copy of <paramref name="bytes"/> (a slice of a receive buffer, say).</summary>
    public static CacheKey Copy(ReadOnlySpan<byte> bytes) => new(bytes.ToArray());

    /// <summary>The UTF-8 bytes of <paramref name="text"/>; null gives the null key, which every command refuses.</summary>
    /// <exception cref="ArgumentException">The string has a lone surrogate (it is not valid UTF-16).</exception>
    public static CacheKey FromString(string? text) => text is null ? default : new(StrictUtf8.GetBytes(text));

    public static implicit operator CacheKey(string? text) => FromString(text);

    /// <summary>A copy of <paramref name="bytes"/>: a caller may reuse its buffer once a call returns,
    /// while the request it made may still be waiting to be serialized.</summary>
    public static implicit operator CacheKey(byte[]? bytes) => bytes is null ? default : Copy(bytes);

    /// <summary>No key at all (null from a caller, or a message without one); empty keys are refused too.</summary>
    public bool IsNull => _bytes is null;

    public bool IsEmpty => _bytes is null || _bytes.Length == 0;

    public int Length => _bytes?.Length ?? 0;

    public ReadOnlySpan<byte> AsSpan() => _bytes;

    public ReadOnlyMemory<byte> AsMemory() => _bytes;

    /// <summary>A copy of the bytes.</summary>
    public byte[] ToArray() => _bytes is null ? [] : (byte[])_bytes.Clone();

    /// <summary>Whether the bytes are valid UTF-8, i.e. the key is a text a string API can give back exactly.</summary>
    public bool IsText => Utf8.IsValid(AsSpan());

    /// <summary>The key as text: its UTF-8 text when it is valid UTF-8, else Redis's quoted escaped form
    /// (<c>"\xff"</c>, as redis-cli prints it). For display only: two keys can print alike.</summary>
    public override string ToString() => IsText ? Encoding.UTF8.GetString(AsSpan()) : RedisEscaping.Quote(AsSpan());

    public bool Equals(CacheKey other) => AsSpan().SequenceEqual(other.AsSpan());

    public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

    /// <summary>For in-process tables only: seeded per process (as string's is), so crafted keys cannot
    /// flood one bucket. Placement uses the stable <c>KeyHasher</c> instead.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(AsSpan());
        return hash.ToHashCode();
    }

    /// <summary>Byte order (memcmp), as Redis orders keys. For UTF-8 text it is code point order.</summary>
    public int CompareTo(CacheKey other) => AsSpan().SequenceCompareTo(other.AsSpan());

    public static bool operator ==(CacheKey left, CacheKey right) => left.Equals(right);

    public static bool operator !=(CacheKey left, CacheKey right) => !left.Equals(right);
}
