using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>What a partition journals. Stored with <c>StoredDataSerializer</c>, never Hyperion,
/// so the journal outlives library upgrades. Each write carries the client's request id (empty for none)
/// and its reply, so a retry gets the original reply.</summary>
public interface ICacheEvent;

/// <summary>Everything one write command did to a partition, journaled as one event: the entries it set or
/// removed, the keys it evicted to make room (so recovery does not bring them back), and the reply the
/// client got (so a retried request is answered the same way).</summary>
public sealed record PartitionChanged(Guid RequestId, ICacheReply? Reply, EntryChange[] Changes) : ICacheEvent;

/// <summary>The writes a partition applied while its previous journal write was in flight, journaled
/// together as one event (one journal row), in the order they were applied. Recovery applies them in that
/// order, each with its request id and reply, exactly as it would apply them one event each.</summary>
public sealed record PartitionBurst(PartitionChanged[] Writes) : ICacheEvent;

public abstract record EntryChange;

/// <summary>The key now holds <see cref="Value"/>; <see cref="ExpiresAt"/> is Unix time in ms, 0 for never.
/// INCR journals its result, not the delta, so replay never recomputes.</summary>
public sealed record EntrySet(CacheKey Key, CacheValue Value, long ExpiresAt) : EntryChange;

/// <summary>The key is gone: deleted by a command, or evicted to respect the memory limit.</summary>
public sealed record EntryRemoved(CacheKey Key, bool Evicted = false) : EntryChange;

/// <summary>The key's expiry changed (0: it no longer expires).</summary>
public sealed record EntryExpiry(CacheKey Key, long ExpiresAt) : EntryChange;

/// <summary>FLUSHALL for this partition.</summary>
/// <summary>The key's expiry slides: every read or write sets it <see cref="WindowMs"/> ahead, never past
/// <see cref="NotAfter"/> (Unix ms, 0 for no limit). Follows the change that set the expiry.</summary>
public sealed record EntrySliding(CacheKey Key, long WindowMs, long NotAfter) : EntryChange;

public sealed record AllRemoved : EntryChange
{
    public static readonly AllRemoved Instance = new();
}

/// <summary>Format 1-2 event, still read from older journals: a value set without expiry.</summary>
public sealed record ValueWritten(CacheKey Key, CacheValue Value, Guid RequestId = default, bool IsCounter = false) : ICacheEvent;

/// <summary>Format 1-2 event, still read from older journals: a key deleted.</summary>
public sealed record KeyRemoved(CacheKey Key, Guid RequestId = default) : ICacheEvent;

/// <summary>HSET, HSETNX, HINCRBY, HINCRBYFLOAT: the fields now hold these values (in order: a field given
/// twice takes its last value). A missing key becomes a hash without expiry; the key keeps its expiry
/// otherwise. Only the fields written are journaled, never the whole hash; HINCRBY journals the field's
/// new value, not the increment, so replay never recomputes.</summary>
public sealed record HashFieldsSet(CacheKey Key, HashField[] Fields) : EntryChange;

/// <summary>HDEL: the fields are gone. A write that removes a hash's last field journals
/// <see cref="EntryRemoved"/> instead, as Redis deletes an empty hash's key.</summary>
public sealed record HashFieldsRemoved(CacheKey Key, CacheKey[] Fields) : EntryChange;

/// <summary>The key now holds exactly this hash, with this expiry (COPY, RENAME: the whole hash, once).</summary>
public sealed record HashReplaced(CacheKey Key, HashField[] Fields, long ExpiresAt) : EntryChange;

/// <summary>SADD, SMOVE's destination: the members now belong to the set (a member already there stays).
/// A missing key becomes a set without expiry; the key keeps its expiry otherwise. Only the members
/// added are journaled, never the whole set.</summary>
public sealed record SetMembersAdded(CacheKey Key, CacheKey[] Members) : EntryChange;

/// <summary>SREM, SPOP, SMOVE's source: the members are gone. A write that removes a set's last member
/// journals <see cref="EntryRemoved"/> instead, as Redis deletes an empty set's key.</summary>
public sealed record SetMembersRemoved(CacheKey Key, CacheKey[] Members) : EntryChange;

/// <summary>The key now holds exactly this set, with this expiry (COPY, RENAME, and the destination of
/// SINTERSTORE, SUNIONSTORE and SDIFFSTORE: the whole set, once).</summary>
public sealed record SetReplaced(CacheKey Key, CacheKey[] Members, long ExpiresAt) : EntryChange;
