using DistCache.Protocol;

namespace DistCache.Wire;

/// <summary>Where a key lives: the partition owning its Redis Cluster slot (<see cref="KeySlot"/>). The one
/// placement function of the client, the gateway and the Redis port, deterministic across processes,
/// machines and .NET versions (never <c>string.GetHashCode</c>). Stores written before slots placed keys by
/// FNV-1a modulo P; a node refuses them until <c>DistCache.Host repartition</c> has moved their keys.</summary>
public static class KeyHasher
{
    public static int PartitionOf(CacheKey key, int partitionCount) =>
        KeySlot.PartitionOf(KeySlot.Of(key.AsSpan()), partitionCount);
}
