namespace DistCache.Actors.Partitions;

/// <summary>What a partition does when a write would exceed its share of the node's memory limit
/// (Redis's maxmemory-policy names).</summary>
public enum EvictionPolicy
{
    /// <summary>Refuse the write with an out-of-memory error.</summary>
    NoEviction,

    /// <summary>Evict the least recently used keys, any of them.</summary>
    AllKeysLru,

    /// <summary>Evict the keys with an expiry, soonest to expire first; refuse when none is left.</summary>
    VolatileTtl,
}

/// <summary>The memory rule of one partition: its policy and its current budget in bytes (0: no limit).
/// The budget is a function because a node's limit is shared over the partitions it hosts now.</summary>
public sealed record MemoryPolicy(EvictionPolicy Policy, Func<long> BudgetBytes)
{
    public static readonly MemoryPolicy Unlimited = new(EvictionPolicy.NoEviction, () => 0);
}
