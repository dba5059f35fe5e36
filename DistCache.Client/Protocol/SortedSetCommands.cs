namespace DistCache.Protocol;

/// <summary>One member of a sorted set and its score (a double, ±inf allowed, never NaN).</summary>
public sealed record SortedSetEntry(CacheKey Member, double Score) : IDistCacheMessage;

/// <summary>Which members a range command covers.</summary>
public abstract record SortedSetRange : IDistCacheMessage;

/// <summary>By rank, 0-based, both ends included; a negative rank counts from the end (-1 is the last).</summary>
public sealed record RankRange(long Start, long Stop) : SortedSetRange;

/// <summary>By score, Redis's "(" making an end exclusive.</summary>
public sealed record ScoreRange(double Min, bool MinExclusive, double Max, bool MaxExclusive) : SortedSetRange;

/// <summary>By member bytes, for members of equal score (Redis's BYLEX): each end is "[x" (inclusive),
/// "(x" (exclusive), "-" (before everything, <see cref="LexBound.Infinity"/> -1) or "+" (after everything, +1).</summary>
public sealed record LexRange(LexBound Min, LexBound Max) : SortedSetRange;

public sealed record LexBound(CacheKey Value, bool Exclusive, sbyte Infinity = 0) : IDistCacheMessage;

/// <summary>ZADD's condition on members that exist or not (NX, XX), and on the new score (GT, LT).</summary>
public enum SortedSetWhen : byte
{
    Always = 0,
    IfAbsent = 1,
    IfPresent = 2,
}

/// <summary>ZADD and ZINCRBY (<see cref="Increment"/>: one entry whose score is added). Replies the members
/// added (with <see cref="Changed"/>, added or whose score changed) as <see cref="CounterValue"/>, or with
/// <see cref="Increment"/> the new score as <see cref="SortedSetScore"/> (not existing when NX/XX/GT/LT
/// stopped it). A missing key becomes a sorted set; another type is WRONGTYPE.</summary>
public sealed record SortedSetAdd(
    CacheKey Key,
    SortedSetEntry[] Entries,
    SortedSetWhen When = SortedSetWhen.Always,
    bool GreaterThan = false,
    bool LessThan = false,
    bool Changed = false,
    bool Increment = false) : ICacheCommand, IWriteCommand;

/// <summary>ZSCORE, ZMSCORE: the entries of <see cref="Members"/> in order, null where missing, as <see cref="SortedSetEntries"/>.</summary>
public sealed record SortedSetScores(CacheKey Key, CacheKey[] Members) : ICacheCommand;

/// <summary>ZCARD: the member count as <see cref="CounterValue"/>, 0 for a missing key.</summary>
public sealed record SortedSetLength(CacheKey Key) : ICacheCommand;

/// <summary>ZRANK, ZREVRANK: the member's rank and score as <see cref="SortedSetRank"/>.</summary>
public sealed record SortedSetRankOf(CacheKey Key, CacheKey Member, bool Reverse = false) : ICacheCommand;

/// <summary>ZCOUNT, ZLEXCOUNT: how many members the range covers, as <see cref="CounterValue"/>.</summary>
public sealed record SortedSetCount(CacheKey Key, SortedSetRange Range) : ICacheCommand;

/// <summary>ZRANGE and its older forms: the members in <see cref="Range"/> (from the end with
/// <see cref="Reverse"/>, where a score or lex range gives its max first), skipping <see cref="Offset"/>
/// and taking <see cref="Limit"/> (negative: all). Replies <see cref="SortedSetEntries"/>.</summary>
public sealed record SortedSetRangeQuery(CacheKey Key, SortedSetRange Range, bool Reverse = false, long Offset = 0, long Limit = -1) : ICacheCommand;

/// <summary>ZRANGESTORE: the same members written to <see cref="Destination"/> (replacing it; none deletes
/// it); replies the count as <see cref="CounterValue"/>. Both keys in one partition.</summary>
public sealed record SortedSetRangeStore(CacheKey Destination, SortedSetRangeQuery Query) : ICacheCommand, IWriteCommand, IMultiKeyCommand
{
    public CacheKey Key => Destination;

    public IEnumerable<CacheKey> Keys => [Destination, Query.Key];
}

/// <summary>ZREM: replies the members removed as <see cref="CounterValue"/>; the last one's removal deletes the key.</summary>
public sealed record SortedSetRemove(CacheKey Key, CacheKey[] Members) : ICacheCommand, IWriteCommand;

/// <summary>ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX: replies the count removed as <see cref="CounterValue"/>.</summary>
public sealed record SortedSetRemoveRange(CacheKey Key, SortedSetRange Range) : ICacheCommand, IWriteCommand;

/// <summary>ZPOPMIN, ZPOPMAX: removes and replies up to <see cref="Count"/> members from the low (or high)
/// end as <see cref="SortedSetEntries"/>. The reply is journaled, so a retry answers the same and pops nothing.</summary>
public sealed record SortedSetPop(CacheKey Key, long Count, bool Max = false) : ICacheCommand, IWriteCommand;

/// <summary>ZMPOP: pops from the first of <see cref="Sources"/> that is not empty; replies <see cref="SortedSetPopped"/>.
/// All keys in one partition.</summary>
public sealed record SortedSetMultiPop(CacheKey[] Sources, long Count, bool Max = false) : ICacheCommand, IWriteCommand, IMultiKeyCommand
{
    public CacheKey Key => Sources is { Length: > 0 } ? Sources[0] : default;

    public IEnumerable<CacheKey> Keys => Sources;
}

/// <summary>ZRANDMEMBER: as HRANDFIELD (no count: one; positive: distinct; negative: may repeat), as <see cref="SortedSetEntries"/>.</summary>
public sealed record SortedSetRandomMembers(CacheKey Key, long? Count) : ICacheCommand;

/// <summary>ZSCAN's page: members after <see cref="After"/> in byte order, about <see cref="Count"/> of them.</summary>
public sealed record SortedSetScan(CacheKey Key, CacheKey? After, int Count) : ICacheCommand;

public enum SortedSetOperation : byte
{
    Union = 0,
    Intersect = 1,
    Difference = 2,
}

public enum SortedSetAggregate : byte
{
    Sum = 0,
    Min = 1,
    Max = 2,
}

/// <summary>ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: the result of <see cref="Operation"/> over <see cref="Sources"/>
/// written to <see cref="Destination"/>; replies its size as <see cref="CounterValue"/>. All keys in one partition.
/// (ZUNION, ZINTER, ZDIFF, ZINTERCARD read each source and combine where they are asked.)</summary>
public sealed record SortedSetCombineStore(
    CacheKey Destination,
    CacheKey[] Sources,
    SortedSetOperation Operation,
    double[]? Weights = null,
    SortedSetAggregate Aggregate = SortedSetAggregate.Sum) : ICacheCommand, IWriteCommand, IMultiKeyCommand
{
    public CacheKey Key => Destination;

    public IEnumerable<CacheKey> Keys => [Destination, .. Sources];
}

/// <summary>ZUNION, ZINTER, ZDIFF and ZINTERCARD's read of one input key, as <see cref="SortedSetEntries"/>: a
/// sorted set's members, a set's members each with score 1 (Redis 7 takes sets as inputs), none for a missing
/// key; WRONGTYPE for another type. The node asked combines the inputs, wherever their keys live.</summary>
public sealed record SortedSetCombineInput(CacheKey Key) : ICacheCommand;

/// <summary>Members and scores, in the order the command gives them; null items for ZMSCORE's missing members.</summary>
public sealed record SortedSetEntries(SortedSetEntry?[] Entries) : ICacheReply;

/// <summary>ZINCRBY's and ZADD INCR's new score; <see cref="Exists"/> false when NX/XX/GT/LT stopped the write.</summary>
public sealed record SortedSetScore(bool Exists, double Score) : ICacheReply;

/// <summary>A member's rank (-1: missing) and score.</summary>
public sealed record SortedSetRank(long Rank, double Score) : ICacheReply;

/// <summary>ZMPOP's reply: the key popped from (null: all were empty) and what it popped.</summary>
public sealed record SortedSetPopped(CacheKey? Key, SortedSetEntry[] Entries) : ICacheReply;

/// <summary>A page of ZSCAN; <see cref="Next"/> is null when the scan is complete.</summary>
public sealed record SortedSetPage(SortedSetEntry[] Entries, CacheKey? Next) : ICacheReply;
