namespace DistCache.Actors.Partitions;

/// <summary>Per-request limits a partition enforces before it changes anything.</summary>
public sealed record PartitionLimits(int MaxKeyBytes, int MaxValueBytes)
{
    public static readonly PartitionLimits Default = new(1024, 16 * 1024 * 1024);
}
