namespace DistCache.Protocol;

/// <summary>EXPIRE's NX, XX, GT and LT options: when a new expiry may replace the key's current one. A
/// key without an expiry counts as expiring never (infinitely late), as in Redis: GT never applies to it,
/// LT always does. XX may be combined with GT or LT; NX with none of them.</summary>
[Flags]
public enum ExpireConditions : byte
{
    None = 0,

    /// <summary>NX: only when the key has no expiry.</summary>
    IfNoExpiry = 1,

    /// <summary>XX: only when the key has an expiry.</summary>
    IfHasExpiry = 2,

    /// <summary>GT: only when the new expiry is later than the current one.</summary>
    IfLater = 4,

    /// <summary>LT: only when the new expiry is earlier than the current one.</summary>
    IfEarlier = 8,
}
