using DistCache.Client;
using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Tests.Client;

public sealed class OwnerMapTests
{
    private const string A = "akka.tcp://distcache@127.0.0.1:4053/user/gateway";
    private const string B = "akka.tcp://distcache@127.0.0.1:4054/user/gateway";

    // Even partitions on A, odd on B, partition 3 unknown.
    private static PartitionOwners EightPartitions() => new([A, B], [0, 1, 0, -1, 0, 1, 0, 1]);

    private static string KeyOfPartition(int partition) =>
        Enumerable.Range(0, 1000).Select(i => "key" + i).First(k => KeyHasher.PartitionOf(k, 8) == partition);

    [Fact]
    public void A_keyed_command_maps_to_the_gateway_of_its_keys_partition()
    {
        var map = new OwnerMap();
        map.Update(EightPartitions());
        Assert.Equal(A, map.OwnerOf(new GetValue(KeyOfPartition(4))));
        Assert.Equal(B, map.OwnerOf(new SetValue(KeyOfPartition(5), new CacheValue(ValueKind.String, [1]))));
        Assert.Equal(7, map.Known);
    }

    [Fact]
    public void Unknown_owners_and_commands_without_one_key_map_to_null()
    {
        var map = new OwnerMap();
        Assert.Null(map.OwnerOf(new GetValue("anything")));
        map.Update(EightPartitions());
        Assert.Null(map.OwnerOf(new GetValue(KeyOfPartition(3))));
        Assert.Null(map.OwnerOf(new MultiGet(["a", "b"])));
        Assert.Null(map.OwnerOf(CountKeys.Instance));
        Assert.Null(map.OwnerOf(new GetValue(default)));
    }

    [Fact]
    public void A_table_that_cannot_route_is_ignored_and_bad_indexes_are_unknown()
    {
        var map = new OwnerMap();
        map.Update(EightPartitions());
        map.Update(new PartitionOwners([], []));
        Assert.Equal(8, map.Partitions);

        map.Update(new PartitionOwners([A], [0, 5, -7, 0]));
        Assert.Equal(A, map.OwnerOf(0));
        Assert.Null(map.OwnerOf(1));
        Assert.Null(map.OwnerOf(2));
        Assert.Null(map.OwnerOf(99));
        Assert.Equal(2, map.Known);
    }

    [Fact]
    public void A_newer_table_replaces_the_old_one()
    {
        var map = new OwnerMap();
        map.Update(EightPartitions());
        map.Update(new PartitionOwners([B], [0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Equal(B, map.OwnerOf(new GetValue(KeyOfPartition(4))));
        Assert.Equal([B], map.Gateways);
    }
}
