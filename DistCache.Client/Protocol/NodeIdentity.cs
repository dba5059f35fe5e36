namespace DistCache.Protocol;

/// <summary>Asked of a member's gateway by a node about to join, before it joins.</summary>
public sealed record DescribeNode : IDistCacheMessage
{
    public static readonly DescribeNode Instance = new();
}

/// <summary>What must match across a cluster: the partition count and the store (the id recorded in the
/// journal database the first time it was used), or keys would hash to partitions that do not hold them.</summary>
public sealed record NodeDescription(int Partitions, string StoreId) : IDistCacheMessage;
