namespace DistCache.Actors.Partitions;

/// <summary>What every partition actor needs to know, read once from <c>distcache { … }</c>.
/// <see cref="MaxMemoryBytes"/> is the node's limit (0: none), shared over the partitions it hosts.</summary>
public sealed record PartitionSettings(
    PartitionLimits Limits,
    int SnapshotEvery,
    int RequestWindow = 4096,
    long MaxMemoryBytes = 0,
    EvictionPolicy Eviction = EvictionPolicy.NoEviction,
    TimeSpan? ActiveExpiryInterval = null,
    DurabilityMode Durability = DurabilityMode.Always,
    TimeSpan MaxClockSkew = default,
    TimeSpan? SnapshotInterval = null);
