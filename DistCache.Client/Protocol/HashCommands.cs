namespace DistCache.Protocol;

/// <summary>One field of a hash and its value (Redis's field and value are both byte strings).</summary>
public sealed record HashField(CacheKey Field, byte[] Value) : IDistCacheMessage;

/// <summary>HSET, HMSET (<see cref="IfAbsent"/> false: replies the fields added as <see cref="CounterValue"/>)
/// and HSETNX (replies <see cref="Written"/>: whether the one field was set). A missing key becomes a hash;
/// a key holding another type is refused with WRONGTYPE. A field given twice takes its last value.</summary>
public sealed record HashSetFields(CacheKey Key, HashField[] Fields, bool IfAbsent = false) : ICacheCommand, IWriteCommand;

/// <summary>HGET, HMGET, HEXISTS, HSTRLEN: the values of <see cref="Fields"/> in order, null where missing,
/// as <see cref="Values"/>.</summary>
public sealed record HashGetFields(CacheKey Key, CacheKey[] Fields) : ICacheCommand;

/// <summary>HDEL: replies the fields removed as <see cref="CounterValue"/>; removing the last field deletes the key.</summary>
public sealed record HashDeleteFields(CacheKey Key, CacheKey[] Fields) : ICacheCommand, IWriteCommand;

/// <summary>HLEN: the field count as <see cref="CounterValue"/>, 0 for a missing key.</summary>
public sealed record HashLength(CacheKey Key) : ICacheCommand;

/// <summary>HGETALL, HKEYS, HVALS: every field as <see cref="HashEntries"/> (none for a missing key).</summary>
public sealed record HashGetAll(CacheKey Key) : ICacheCommand;

/// <summary>HINCRBY: the field's integer plus <see cref="Delta"/>, stored and replied as <see cref="CounterValue"/>.
/// A missing field starts at 0. The journal holds the result, not the delta.</summary>
public sealed record HashIncrementBy(CacheKey Key, CacheKey Field, long Delta) : ICacheCommand, IWriteCommand;

/// <summary>HINCRBYFLOAT: as INCRBYFLOAT on one field; replies the stored text as <see cref="Found"/>.</summary>
public sealed record HashIncrementByFloat(CacheKey Key, CacheKey Field, string Delta) : ICacheCommand, IWriteCommand;

/// <summary>HRANDFIELD: without <see cref="Count"/> one random field (or none); a positive count gives up to
/// that many distinct fields, a negative one exactly |count| fields that may repeat. Replies <see cref="HashEntries"/>.</summary>
public sealed record HashRandomFields(CacheKey Key, long? Count) : ICacheCommand;

/// <summary>HSCAN's page: fields after <see cref="After"/> in byte order, about <see cref="Count"/> of them
/// (more on a large hash, so a full scan takes a bounded number of pages). Replies <see cref="HashPage"/>.</summary>
public sealed record HashScan(CacheKey Key, CacheKey? After, int Count) : ICacheCommand;

/// <summary>TYPE and OBJECT ENCODING: the key's type as Redis names it and the encoding Redis would choose
/// for its value, as <see cref="KeyDescription"/>.</summary>
public sealed record DescribeKey(CacheKey Key) : ICacheCommand;

/// <summary>A hash's fields (all of them, or a random choice).</summary>
public sealed record HashEntries(HashField[] Fields) : ICacheReply;

/// <summary>A page of a hash's fields; <see cref="Next"/> is null when the scan is complete.</summary>
public sealed record HashPage(HashField[] Fields, CacheKey? Next) : ICacheReply;

/// <summary>The type of a key ("none" when missing) and its encoding (null when missing).</summary>
public sealed record KeyDescription(string Type, string? Encoding) : ICacheReply;
