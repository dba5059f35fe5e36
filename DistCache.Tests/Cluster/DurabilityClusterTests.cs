using Akka.Configuration;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>Durability modes through a real cluster: what a planned stop keeps, and what mode none forgets.</summary>
public sealed class DurabilityClusterTests
{
    [Fact]
    public async Task Batched_writes_acknowledged_under_load_survive_a_join_and_a_graceful_stop_of_the_whole_cluster()
    {
        await using var cluster = TestCluster.OnSqlite(ConfigurationFactory.ParseString("distcache.durability = batched"));
        await cluster.StartNodeAsync();
        await cluster.StartNodeAsync();

        const int keys = 6000;
        await using (var client = cluster.Connect(TimeSpan.FromSeconds(60)))
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 48).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < keys)
                    await client.SetAsync("batched:" + i, i);
            }));
            await CollectionWorkload.WriteAllAsync(client, "batched-");
        }
        // Straight after the last acknowledgement, while the journal is still catching up, a third node
        // joins and a third of the partitions move to it; then the whole cluster stops.
        var third = await cluster.StartNodeAsync();
        await Eventually.TrueAsync(async () => await TestCluster.ShardCountAsync(third) >= 4, "the joining node hosts a third of the shards");
        await cluster.StopAllAsync();

        await cluster.StartNodeAsync();
        await using var reader = cluster.Connect(TimeSpan.FromSeconds(60));
        Assert.Equal(keys + CollectionWorkload.Keys, await reader.CountAsync());
        var values = await reader.GetManyAsync<int>(Enumerable.Range(0, keys).Select(i => "batched:" + i).ToArray());
        Assert.Equal(Enumerable.Range(0, keys), values);
        await CollectionWorkload.AssertAllAsync(reader, "batched-");
    }

    [Fact]
    public async Task Mode_none_keeps_nothing_across_a_restart()
    {
        await using var cluster = TestCluster.OnSqlite(ConfigurationFactory.ParseString("distcache.durability = none"));
        await cluster.StartNodeAsync();
        await using (var client = cluster.Connect(TimeSpan.FromSeconds(60)))
        {
            await client.SetAsync("volatile", "v");
            Assert.Equal("v", await client.GetAsync<string>("volatile"));
        }
        await cluster.StopAllAsync();

        await cluster.StartNodeAsync();
        await using var reader = cluster.Connect(TimeSpan.FromSeconds(60));
        Assert.False((await reader.TryGetAsync<string>("volatile")).Found);
    }

    [Fact]
    public async Task Mode_none_keeps_every_key_when_partitions_move_to_a_joining_node_and_off_a_leaving_one()
    {
        await using var cluster = TestCluster.OnSqlite(ConfigurationFactory.ParseString("distcache.durability = none"));
        var first = await cluster.StartNodeAsync();
        const int keys = 2000;
        await using var client = cluster.Connect(TimeSpan.FromSeconds(60));
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async c =>
        {
            for (var i = c; i < keys; i += 20)
                await client.SetAsync("moving:" + i, i);
        }));
        await CollectionWorkload.WriteAllAsync(client, "moving-");

        // Half of the shards move to the joining node, then every shard moves back when the first leaves.
        var second = await cluster.StartNodeAsync();
        await Eventually.TrueAsync(async () => await TestCluster.ShardCountAsync(second) >= 8, "the joining node hosts half of the shards");
        await first.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));

        await using var reader = cluster.Connect(TimeSpan.FromSeconds(60));
        Assert.Equal(keys + CollectionWorkload.Keys, await reader.CountAsync());
        var values = await reader.GetManyAsync<int>(Enumerable.Range(0, keys).Select(i => "moving:" + i).ToArray());
        Assert.Equal(Enumerable.Range(0, keys), values);
        await CollectionWorkload.AssertAllAsync(reader, "moving-");
    }
}
