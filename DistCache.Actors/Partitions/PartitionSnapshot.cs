using DistCache.Actors.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Every entry of a partition at one sequence number, with the recent request ids (oldest first).</summary>
public sealed record PartitionSnapshot(
    IReadOnlyList<KeyValuePair<string, CacheValue>> Entries,
    IReadOnlyList<KeyValuePair<Guid, ICacheReply>> RecentRequests);
