using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Every entry of a partition at one sequence number, with the recent request ids (oldest first),
/// the next entry version and the eviction count.</summary>
public sealed record PartitionSnapshot(
    IReadOnlyList<SnapshotEntry> Entries,
    IReadOnlyList<KeyValuePair<Guid, ICacheReply>> RecentRequests,
    long NextVersion = 1,
    long Evictions = 0);

/// <summary>One entry as a snapshot keeps it; <see cref="ExpiresAt"/> is Unix ms, 0 for never.</summary>
public sealed record SnapshotEntry(string Key, CacheValue Value, long Version, long ExpiresAt);
