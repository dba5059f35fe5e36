using DistCache.Wire;
using DistCache.Actors.Cluster;
using DistCache.Protocol;

namespace DistCache.Tests.Cluster;

/// <summary>Sharding asks for a message's entity and shard several times on its way: a request that carries
/// its partition is routed by that number, from ids built once.</summary>
public sealed class PartitionMessageExtractorTests
{
    private readonly PartitionMessageExtractor _extractor = new(partitions: 256, shards: 32);

    [Fact]
    public void A_request_that_carries_its_partition_goes_there_and_one_without_goes_where_its_key_hashes()
    {
        var carried = new ClientRequest(1, new GetValue("some-key"), Partition: 17);
        Assert.Equal("17", _extractor.EntityId(carried));
        Assert.Equal("17", _extractor.ShardId(carried));

        var bare = new ClientRequest(2, new GetValue("some-key"));
        var expected = KeyHasher.PartitionOf("some-key", 256);
        Assert.Equal(expected.ToString(), _extractor.EntityId(bare));
        Assert.Equal((expected % 32).ToString(), _extractor.ShardId(bare));
    }

    [Fact]
    public void Ids_come_from_tables_and_are_not_formatted_per_message()
    {
        var a = new ClientRequest(1, new GetValue("x"), Partition: 200);
        var b = new ClientRequest(2, new GetValue("y"), Partition: 200);
        Assert.Same(_extractor.EntityId(a), _extractor.EntityId(b));
        Assert.Same(_extractor.ShardId(a), _extractor.ShardId(b));
        Assert.Equal("8", _extractor.ShardId("200"));
        Assert.Equal("8", _extractor.ShardId("200", a));
    }

    [Fact]
    public void Out_of_range_partitions_and_unknown_entities_are_not_routed()
    {
        Assert.Null(_extractor.EntityId("not a request"));
        Assert.Equal("3", _extractor.EntityId(new ClientRequest(1, new CountPart(3))));
        Assert.Null(_extractor.EntityId(new ClientRequest(1, new CountPart(256))));
        // An out-of-range carried partition is ignored: the key decides.
        Assert.Equal(KeyHasher.PartitionOf("k", 256).ToString(), _extractor.EntityId(new ClientRequest(1, new GetValue("k"), Partition: 999)));
        Assert.Throws<ArgumentException>(() => _extractor.ShardId("999"));
    }
}
