using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Actors.Gateway;

/// <summary>Builds the <see cref="PartitionOwners"/> a gateway tells clients from its <see cref="ShardMap"/>:
/// partition p lives in shard p mod shards (as <see cref="Cluster.PartitionMessageExtractor"/> routes it), and
/// a node is named by its gateway's path, where a client sends the requests of the partitions it owns.</summary>
public static class PartitionOwnerTable
{
    public static PartitionOwners Build(ShardMap map, int partitions, int shards)
    {
        var gateways = new List<string>();
        var indexOf = new Dictionary<Address, int>();
        var owners = new int[partitions];
        for (var p = 0; p < partitions; p++)
        {
            if (map.NodeOf(p % shards) is not { } node)
            {
                owners[p] = -1;
                continue;
            }
            if (!indexOf.TryGetValue(node, out var index))
            {
                indexOf[node] = index = gateways.Count;
                gateways.Add((new RootActorPath(node) / "user" / GatewayActor.Name).ToString());
            }
            owners[p] = index;
        }
        return new PartitionOwners(gateways.ToArray(), owners);
    }
}
