using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>A type of value a key can hold, as Redis's TYPE names it: strings and hashes today; lists, sets and
/// sorted sets to come. A type says what its values cost in memory and which journal event copies one to
/// another key, and it owns the WRONGTYPE rule; its commands are decided by a class of their own
/// (<see cref="StringCommands"/>, <see cref="HashCommands"/>) and its stored layout is its own
/// (<see cref="StringType.Write"/>, <see cref="HashType.Write"/>). The
/// <see cref="EntryTable"/> keeps keys, expiry, recency and bytes for all types alike.</summary>
public abstract class DataType
{
    /// <summary>The type's name as Redis's TYPE answers it.</summary>
    public abstract string Name { get; }

    /// <summary>What the entry's value is counted as for the memory limit, without the key and the
    /// entry's own overhead (the table adds those).</summary>
    public abstract long PayloadBytes(in CacheEntry entry);

    /// <summary>The journal event that gives <paramref name="key"/> a copy of the entry's value and expiry
    /// (COPY, RENAME); applying it must not share anything the source may still change.</summary>
    public abstract EntryChange CopyTo(CacheKey key, in CacheEntry source);

    /// <summary>What Redis's OBJECT ENCODING would answer for the entry's value.</summary>
    public abstract string EncodingOf(in CacheEntry entry);

    /// <summary>Redis's WRONGTYPE rule, decided here for every type: a command of this type on a key that
    /// holds another type fails and changes nothing. A missing key is no conflict.</summary>
    public bool Conflicts(in CacheEntry? entry) => entry is { } found && found.Type != this;

    public static Decision WrongType() => Decision.Reject(CacheErrorCode.WrongType);
}
