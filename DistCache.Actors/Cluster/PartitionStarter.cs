using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace DistCache.Actors.Cluster;

/// <summary>Starts every partition as soon as this node is Up, so partitions recover before the first
/// request instead of on it. Remember-entities then keeps them running wherever their shard moves.</summary>
public static class PartitionStarter
{
    public static void StartAll(IActorRef shardRegion, int partitions)
    {
        for (var partition = 0; partition < partitions; partition++)
            shardRegion.Tell(new ShardRegion.StartEntity(partition.ToString(CultureInfo.InvariantCulture)));
    }
}
