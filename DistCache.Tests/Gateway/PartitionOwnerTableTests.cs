using Akka.Actor;
using DistCache.Actors.Gateway;

namespace DistCache.Tests.Gateway;

public sealed class PartitionOwnerTableTests
{
    [Fact]
    public void Each_partition_is_owned_by_the_gateway_of_the_node_hosting_its_shard()
    {
        var a = new Address("akka.tcp", "distcache", "127.0.0.1", 4053);
        var b = new Address("akka.tcp", "distcache", "127.0.0.1", 4054);
        var map = new ShardMap();
        // 4 shards: 0 and 2 on a, 1 on b, 3 unknown (moving).
        map.Update([KeyValuePair.Create(a, (IEnumerable<string>)["0", "2"]), KeyValuePair.Create(b, (IEnumerable<string>)["1"])]);

        var owners = PartitionOwnerTable.Build(map, 8, 4);

        Assert.Equal(["akka.tcp://distcache@127.0.0.1:4053/user/gateway", "akka.tcp://distcache@127.0.0.1:4054/user/gateway"], owners.Gateways);
        Assert.Equal([0, 1, 0, -1, 0, 1, 0, -1], owners.OwnerOfPartition);
    }

    [Fact]
    public void An_empty_shard_map_knows_no_owner()
    {
        var owners = PartitionOwnerTable.Build(new ShardMap(), 4, 2);
        Assert.Empty(owners.Gateways);
        Assert.All(owners.OwnerOfPartition, o => Assert.Equal(-1, o));
    }
}
