using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Turns an <see cref="Expiry"/> into the Unix time (ms) a partition stores: pure, so SET,
/// CAS, EXPIRE and GETEX agree on every edge case.</summary>
public static class ExpiryRules
{
    /// <summary>The stored expiry (0 for none) for a write, given the key's current one; null when the
    /// expiry is invalid (a relative or sliding time that is not positive, an absolute time not after
    /// 1970). An absolute time already past is valid: the key expires at once, as in Redis.</summary>
    public static long? Resolve(Expiry expiry, long currentExpiresAt, long now) => expiry.Kind switch
    {
        ExpiryKind.Clear => 0,
        ExpiryKind.Keep => currentExpiresAt,
        ExpiryKind.After => expiry.Milliseconds > 0 ? Add(now, expiry.Milliseconds) : null,
        ExpiryKind.At => expiry.Milliseconds > 0 ? expiry.Milliseconds : null,
        ExpiryKind.Sliding => expiry.Milliseconds > 0 && expiry.Limit >= 0 ? Slide(now, expiry.Milliseconds, SlidingLimit(expiry, now)) : null,
        _ => null,
    };

    /// <summary>The absolute time (Unix ms, 0 for none) a sliding expiry set at <paramref name="now"/> never passes.</summary>
    public static long SlidingLimit(Expiry expiry, long now) => expiry.Limit > 0 ? Add(now, expiry.Limit) : 0;

    /// <summary>Where a sliding window puts the expiry on a read or write at <paramref name="now"/>.</summary>
    public static long Slide(long now, long windowMs, long notAfter)
    {
        var next = Add(now, windowMs);
        return notAfter > 0 ? Math.Min(next, notAfter) : next;
    }

    /// <summary>EXPIRE with a time not in the future deletes the key instead (Redis's rule).</summary>
    public static bool DeletesNow(Expiry expiry, long now) =>
        (expiry.Kind == ExpiryKind.After && expiry.Milliseconds <= 0) || (expiry.Kind == ExpiryKind.At && expiry.Milliseconds <= now);

    /// <summary>The absolute time an EXPIRE asks for, even one already past (the NX/XX/GT/LT options
    /// compare it with the current expiry before Redis decides whether it deletes the key).</summary>
    public static long Target(Expiry expiry, long now) => expiry.Kind switch
    {
        // now is positive, so adding a negative time cannot overflow.
        ExpiryKind.After => expiry.Milliseconds >= 0 ? Add(now, expiry.Milliseconds) : now + expiry.Milliseconds,
        ExpiryKind.At => expiry.Milliseconds,
        _ => now,
    };

    /// <summary>Whether EXPIRE's options let <paramref name="newAt"/> replace <paramref name="currentExpiresAt"/>
    /// (0: the key never expires, which GT and LT treat as infinitely late), in Redis 7's order
    /// (expire.c expireGenericCommand).</summary>
    public static bool Allows(ExpireConditions when, long currentExpiresAt, long newAt)
    {
        var has = currentExpiresAt != 0;
        if (when.HasFlag(ExpireConditions.IfNoExpiry) && has)
            return false;
        if (when.HasFlag(ExpireConditions.IfHasExpiry) && !has)
            return false;
        if (when.HasFlag(ExpireConditions.IfLater) && (!has || newAt <= currentExpiresAt))
            return false;
        if (when.HasFlag(ExpireConditions.IfEarlier) && has && newAt >= currentExpiresAt)
            return false;
        return true;
    }

    private static long Add(long now, long ms) => ms > long.MaxValue - now ? long.MaxValue : now + ms;
}
