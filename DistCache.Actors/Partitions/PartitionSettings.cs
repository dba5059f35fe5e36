namespace DistCache.Actors.Partitions;

/// <summary>What every partition actor needs to know, read once from <c>distcache { … }</c>.</summary>
public sealed record PartitionSettings(PartitionLimits Limits, int SnapshotEvery, int RequestWindow = 4096);
