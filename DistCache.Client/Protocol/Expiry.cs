namespace DistCache.Protocol;

public enum ExpiryKind : byte
{
    /// <summary>The key ends up without an expiry (SET without options, PERSIST).</summary>
    Clear = 0,

    /// <summary>The key keeps the expiry it had (KEEPTTL, a CAS without a TTL).</summary>
    Keep = 1,

    /// <summary><see cref="Expiry.Milliseconds"/> from when the partition applies the write (EX, PX).</summary>
    After = 2,

    /// <summary>At <see cref="Expiry.Milliseconds"/> in Unix time (EXAT, PXAT, an absolute expiration).</summary>
    At = 3,

    /// <summary><see cref="Expiry.Milliseconds"/> after the last read or write, and never more than
    /// <see cref="Expiry.Limit"/> after this write when that is set: every read of the key moves its expiry on.</summary>
    Sliding = 4,
}

/// <summary>What a write does to a key's time to live; one type for SET, CAS, EXPIRE and GETEX. The
/// default is <see cref="Clear"/>, which is what a plain SET does in Redis. Absolute and relative times
/// are resolved by the partition on its own clock when it applies the write, so a retry or a slow hop
/// never stretches a TTL.</summary>
public readonly record struct Expiry(ExpiryKind Kind, long Milliseconds = 0, long Limit = 0)
{
    public static readonly Expiry Clear = default;

    public static readonly Expiry Keep = new(ExpiryKind.Keep);

    public static Expiry After(TimeSpan ttl) => new(ExpiryKind.After, Ceiling(ttl));

    public static Expiry At(DateTimeOffset when) => new(ExpiryKind.At, when.ToUnixTimeMilliseconds());

    public static Expiry AtUnixMilliseconds(long unixMs) => new(ExpiryKind.At, unixMs);

    /// <param name="window">How long after each read or write the key expires.</param>
    /// <param name="limit">The longest the key may live from this write however often it is read (an
    /// absolute expiration, relative so that client and server clocks need not agree); null for none.</param>
    public static Expiry Sliding(TimeSpan window, TimeSpan? limit = null) =>
        new(ExpiryKind.Sliding, Ceiling(window), limit is { } l ? Math.Max(1, Ceiling(l)) : 0);

    /// <summary>A relative TTL, or <see cref="Clear"/> without one: the .NET client's <c>TimeSpan? ttl</c>.</summary>
    public static Expiry From(TimeSpan? ttl) => ttl is { } t ? After(t) : Clear;

    // Rounded up, so a TTL of 0.5 ms still means "expires", not "never set".
    private static long Ceiling(TimeSpan span) =>
        span.Ticks <= 0 ? (long)Math.Floor(span.TotalMilliseconds) : (long)Math.Ceiling(span.TotalMilliseconds);
}
