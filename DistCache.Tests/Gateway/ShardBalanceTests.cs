using DistCache.Actors.Gateway;

namespace DistCache.Tests.Gateway;

public sealed class ShardBalanceTests
{
    [Fact]
    public void Members_within_one_shard_of_each_other_with_every_partition_running_are_balanced()
    {
        var (settled, text) = ShardBalance.Describe(256, 32, [88, 88, 80]);
        Assert.True(settled);
        Assert.Equal("balanced: 88 / 88 / 80 partitions per node", text);
    }

    [Fact]
    public void Members_more_than_one_shard_apart_are_still_moving()
    {
        var (settled, text) = ShardBalance.Describe(256, 32, [240, 8, 8]);
        Assert.False(settled);
        Assert.Contains("rebalancing", text);
    }

    [Fact]
    public void Partitions_not_running_anywhere_mean_shards_are_moving()
    {
        var (settled, text) = ShardBalance.Describe(256, 32, [88, 80]);
        Assert.False(settled);
        Assert.Equal("moving: 168 of 256 partitions running (per node 88 / 80)", text);
    }
}
