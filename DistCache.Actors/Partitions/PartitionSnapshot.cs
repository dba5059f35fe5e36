using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Every entry of a partition at one sequence number, with the recent request ids (oldest first),
/// the next entry version, the eviction count and the keys whose expiry slides.</summary>
public sealed record PartitionSnapshot(
    IReadOnlyList<SnapshotEntry> Entries,
    IReadOnlyList<KeyValuePair<Guid, ICacheReply>> RecentRequests,
    long NextVersion = 1,
    long Evictions = 0,
    IReadOnlyList<SnapshotSliding>? Sliding = null);

/// <summary>One entry as a snapshot keeps it; <see cref="ExpiresAt"/> is Unix ms, 0 for never. A hash's
/// entry has its fields in <see cref="Hash"/> (and an empty <see cref="Value"/>), a list's its elements in
/// <see cref="List"/>, a sorted set's its members in order in <see cref="SortedSet"/>, a set's its members in
/// <see cref="Set"/>; a string's has none.</summary>
public sealed record SnapshotEntry(CacheKey Key, CacheValue Value, long Version, long ExpiresAt, HashField[]? Hash = null, byte[][]? List = null,
    SortedSetEntry[]? SortedSet = null, CacheKey[]? Set = null)
{
    public static readonly CacheValue NoValue = new(ValueKind.String, []);

    public static SnapshotEntry Of(CacheKey key, in CacheEntry entry) => entry.Hash is { } hash
        ? new SnapshotEntry(key, NoValue, entry.Version, entry.ExpiresAt, hash.ToFields())
        : entry.List is { } list ? new SnapshotEntry(key, NoValue, entry.Version, entry.ExpiresAt, List: list.ToArray())
        : entry.SortedSet is { } sorted ? new SnapshotEntry(key, NoValue, entry.Version, entry.ExpiresAt, SortedSet: sorted.ToEntries())
        : entry.Set is { } set ? new SnapshotEntry(key, NoValue, entry.Version, entry.ExpiresAt, Set: set.ToArray())
        : new SnapshotEntry(key, entry.Value, entry.Version, entry.ExpiresAt);
}

/// <summary>A key's sliding window as a snapshot keeps it (see <see cref="EntrySliding"/>).</summary>
public sealed record SnapshotSliding(CacheKey Key, long WindowMs, long NotAfter);
