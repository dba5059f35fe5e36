using DistCache.Actors.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Every entry of a partition at one sequence number.</summary>
public sealed record PartitionSnapshot(IReadOnlyList<KeyValuePair<string, CacheValue>> Entries);
