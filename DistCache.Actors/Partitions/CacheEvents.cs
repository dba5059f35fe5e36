using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>What a partition journals. Stored with <c>StoredDataSerializer</c>, never Hyperion,
/// so the journal outlives library upgrades. Each write carries the client's request id (empty for none)
/// and its reply, so a retry gets the original reply.</summary>
public interface ICacheEvent;

/// <summary>Everything one write command did to a partition, journaled as one event: the entries it set or
/// removed, the keys it evicted to make room (so recovery does not bring them back), and the reply the
/// client got (so a retried request is answered the same way).</summary>
public sealed record PartitionChanged(Guid RequestId, ICacheReply? Reply, EntryChange[] Changes) : ICacheEvent
{
    /// <summary>For a transaction's EXEC, where each of its commands' changes end in <see cref="Changes"/>
    /// (exclusive), so observers can tell which command made which change; null otherwise. Never journaled:
    /// recovery needs only the changes.</summary>
    public int[]? CommandEnds { get; init; }
}

/// <summary>The writes a partition applied while its previous journal write was in flight, journaled
/// together as one event (one journal row), in the order they were applied. Recovery applies them in that
/// order, each with its request id and reply, exactly as it would apply them one event each.</summary>
public sealed record PartitionBurst(PartitionChanged[] Writes) : ICacheEvent;

/// <summary>One change to the partition's entries.</summary>
public abstract record EntryChange
{
    /// <summary>The key the change is to (null for FLUSHALL): the partition wakes callers blocked on it.</summary>
    public virtual CacheKey? ChangedKey => null;
}

/// <summary>The key now holds <see cref="Value"/>; <see cref="ExpiresAt"/> is Unix time in ms, 0 for never.
/// INCR journals its result, not the delta, so replay never recomputes.</summary>
public sealed record EntrySet(CacheKey Key, CacheValue Value, long ExpiresAt) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>The key is gone: deleted by a command, or evicted to respect the memory limit.</summary>
public sealed record EntryRemoved(CacheKey Key, bool Evicted = false) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>The key's expiry changed (0: it no longer expires).</summary>
public sealed record EntryExpiry(CacheKey Key, long ExpiresAt) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>FLUSHALL for this partition.</summary>
/// <summary>The key's expiry slides: every read or write sets it <see cref="WindowMs"/> ahead, never past
/// <see cref="NotAfter"/> (Unix ms, 0 for no limit). Follows the change that set the expiry.</summary>
public sealed record EntrySliding(CacheKey Key, long WindowMs, long NotAfter) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

public sealed record AllRemoved : EntryChange
{
    public static readonly AllRemoved Instance = new();
}

/// <summary>Format 1-2 event, still read from older journals: a value set without expiry. The serializer
/// upcasts it to a <see cref="PartitionChanged"/> as it reads it; only tests still write one.</summary>
public sealed record ValueWritten(CacheKey Key, CacheValue Value, Guid RequestId = default, bool IsCounter = false) : ICacheEvent;

/// <summary>Format 1-2 event, still read from older journals: a key deleted (upcast as <see cref="ValueWritten"/> is).</summary>
public sealed record KeyRemoved(CacheKey Key, Guid RequestId = default) : ICacheEvent;

/// <summary>HSET, HSETNX, HINCRBY, HINCRBYFLOAT: the fields now hold these values (in order: a field given
/// twice takes its last value). A missing key becomes a hash without expiry; the key keeps its expiry
/// otherwise. Only the fields written are journaled, never the whole hash; HINCRBY journals the field's
/// new value, not the increment, so replay never recomputes.</summary>
public sealed record HashFieldsSet(CacheKey Key, HashField[] Fields) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>HDEL: the fields are gone. A write that removes a hash's last field journals
/// <see cref="EntryRemoved"/> instead, as Redis deletes an empty hash's key.</summary>
public sealed record HashFieldsRemoved(CacheKey Key, CacheKey[] Fields) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>The key now holds exactly this hash, with this expiry (COPY, RENAME: the whole hash, once).</summary>
public sealed record HashReplaced(CacheKey Key, HashField[] Fields, long ExpiresAt) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>LPUSH, RPUSH (and their X forms, LMOVE's destination): the elements pushed one by one at the
/// head (<see cref="Left"/>) or the tail. A missing key becomes a list without expiry. Only the pushed
/// elements are journaled, never the list.</summary>
public sealed record ListPushed(CacheKey Key, bool Left, byte[][] Elements) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>LPOP, RPOP, LMPOP, LMOVE's source and LTRIM: the list lost <see cref="FromLeft"/> elements at
/// its head and <see cref="FromRight"/> at its tail. Counts, not values or indexes to recompute, so replay
/// on the same list removes the same elements. A write that empties the list journals
/// <see cref="EntryRemoved"/> instead, as Redis deletes an empty list's key.</summary>
public sealed record ListTrimmed(CacheKey Key, long FromLeft, long FromRight) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>A change at positions the decision found: LSET sets the element at the one index, LINSERT puts
/// it at the one index, LREM removes the elements at the (ascending) indexes. Positions, not the pivot or
/// the value to look for, so replay never searches.</summary>
public sealed record ListEdited(CacheKey Key, ListEditKind Kind, long[] Indexes, byte[]? Element) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

public enum ListEditKind : byte
{
    Set = 0,
    Insert = 1,
    Remove = 2,
}

/// <summary>The key now holds exactly this list, with this expiry (COPY, RENAME: the whole list, once).</summary>
public sealed record ListReplaced(CacheKey Key, byte[][] Elements, long ExpiresAt) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>ZADD, ZINCRBY: the members now have these scores (in order: a member given twice takes its last
/// score). A missing key becomes a sorted set without expiry; the key keeps its expiry otherwise. ZINCRBY
/// journals the member's new score, never the increment, so replay never recomputes.</summary>
public sealed record ZSetMembersScored(CacheKey Key, SortedSetEntry[] Members) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>ZREM, ZPOPMIN/ZPOPMAX, ZREMRANGEBY*: the members are gone. A write that removes the last member
/// journals <see cref="EntryRemoved"/> instead, as Redis deletes an empty sorted set's key.</summary>
public sealed record ZSetMembersRemoved(CacheKey Key, CacheKey[] Members) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>The key now holds exactly these members, with this expiry (COPY, RENAME, the STORE commands' destination).</summary>
public sealed record ZSetReplaced(CacheKey Key, SortedSetEntry[] Members, long ExpiresAt) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>SADD, SMOVE's destination: the members now belong to the set (a member already there stays).
/// A missing key becomes a set without expiry; the key keeps its expiry otherwise. Only the members
/// added are journaled, never the whole set.</summary>
public sealed record SetMembersAdded(CacheKey Key, CacheKey[] Members) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>SREM, SPOP, SMOVE's source: the members are gone. A write that removes a set's last member
/// journals <see cref="EntryRemoved"/> instead, as Redis deletes an empty set's key.</summary>
public sealed record SetMembersRemoved(CacheKey Key, CacheKey[] Members) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}

/// <summary>The key now holds exactly this set, with this expiry (COPY, RENAME, and the destination of
/// SINTERSTORE, SUNIONSTORE and SDIFFSTORE: the whole set, once).</summary>
public sealed record SetReplaced(CacheKey Key, CacheKey[] Members, long ExpiresAt) : EntryChange
{
    public override CacheKey? ChangedKey => Key;
}
