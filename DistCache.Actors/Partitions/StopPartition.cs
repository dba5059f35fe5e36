namespace DistCache.Actors.Partitions;

/// <summary>What sharding sends a partition when its shard moves away or the node leaves (the hand-off
/// stop message). Unlike a PoisonPill it lets the partition finish the journal writes it has started, so
/// a write acknowledged in mode batched is never lost by a planned move.</summary>
public sealed class StopPartition
{
    public static readonly StopPartition Instance = new();

    private StopPartition()
    {
    }
}
