namespace DistCache.Actors.Partitions;

/// <summary>Per-request limits a partition enforces before it changes anything.</summary>
/// <param name="MaxCollectionElements">The most elements one collection (a hash's fields) may hold; its
/// elements' bytes together may not pass <paramref name="MaxValueBytes"/>, as a string's may not.</param>
public sealed record PartitionLimits(int MaxKeyBytes, int MaxValueBytes, int MaxCollectionElements = PartitionLimits.DefaultMaxCollectionElements)
{
    public const int DefaultMaxCollectionElements = 1_048_576;

    public static readonly PartitionLimits Default = new(1024, 16 * 1024 * 1024);
}
