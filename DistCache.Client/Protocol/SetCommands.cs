namespace DistCache.Protocol;

/// <summary>SADD: replies the members added (not already there) as <see cref="CounterValue"/>. A missing
/// key becomes a set; a key holding another type is refused with WRONGTYPE.</summary>
public sealed record SetAddMembers(CacheKey Key, CacheKey[] Members) : ICacheCommand, IWriteCommand;

/// <summary>SREM: replies the members removed as <see cref="CounterValue"/>; removing the last one deletes the key.</summary>
public sealed record SetRemoveMembers(CacheKey Key, CacheKey[] Members) : ICacheCommand, IWriteCommand;

/// <summary>SMEMBERS: every member as <see cref="SetMembers"/> (none for a missing key).</summary>
public sealed record SetGetMembers(CacheKey Key) : ICacheCommand;

/// <summary>SISMEMBER, SMISMEMBER: whether each of <see cref="Members"/> is in the set, as <see cref="MemberFlags"/>.</summary>
public sealed record SetContainsMembers(CacheKey Key, CacheKey[] Members) : ICacheCommand;

/// <summary>SCARD: the member count as <see cref="CounterValue"/>, 0 for a missing key.</summary>
public sealed record SetLength(CacheKey Key) : ICacheCommand;

/// <summary>SPOP: removes and replies up to <see cref="Count"/> random members (one without a count) as
/// <see cref="SetMembers"/>. A write whose reply is journaled, so a retry answers the same members and
/// pops nothing more.</summary>
public sealed record SetPop(CacheKey Key, long? Count) : ICacheCommand, IWriteCommand;

/// <summary>SRANDMEMBER: without <see cref="Count"/> one random member (or none); a positive count gives up
/// to that many distinct members, a negative one exactly |count| that may repeat. Replies <see cref="SetMembers"/>.</summary>
public sealed record SetRandomMembers(CacheKey Key, long? Count) : ICacheCommand;

/// <summary>SMOVE: <see cref="Member"/> leaves the set at <see cref="Key"/> and joins the one at
/// <see cref="Destination"/>, atomically (both keys in one partition). Replies <see cref="Written"/>:
/// whether the member was in the source.</summary>
public sealed record SetMove(CacheKey Key, CacheKey Destination, CacheKey Member) : IMultiKeyCommand, IWriteCommand
{
    public IEnumerable<CacheKey> Keys => [Key, Destination];
}

/// <summary>What SINTER, SUNION and SDIFF (and their STORE forms) compute.</summary>
public enum SetOperation : byte
{
    Intersect = 0,
    Union = 1,
    Difference = 2,
}

/// <summary>SINTERSTORE, SUNIONSTORE, SDIFFSTORE: <see cref="Key"/> (the destination) now holds the result
/// over <see cref="Sources"/>, without expiry; an empty result deletes it. All keys share a slot.
/// Replies the result's size as <see cref="CounterValue"/>.</summary>
public sealed record SetStore(CacheKey Key, CacheKey[] Sources, SetOperation Operation) : IMultiKeyCommand, IWriteCommand
{
    public IEnumerable<CacheKey> Keys => [Key, .. Sources];
}

/// <summary>SSCAN's page: members after <see cref="After"/> in byte order, about <see cref="Count"/> of them
/// (more on a large set, so a full scan takes a bounded number of pages). Replies <see cref="SetPage"/>.</summary>
public sealed record SetScan(CacheKey Key, CacheKey? After, int Count) : ICacheCommand;

/// <summary>A set's members (all of them, a random choice, or the ones popped).</summary>
public sealed record SetMembers(CacheKey[] Members) : ICacheReply;

/// <summary>Whether each member asked about is in the set, in the order asked.</summary>
public sealed record MemberFlags(bool[] Found) : ICacheReply;

/// <summary>A page of a set's members; <see cref="Next"/> is null when the scan is complete.</summary>
public sealed record SetPage(CacheKey[] Members, CacheKey? Next) : ICacheReply;
