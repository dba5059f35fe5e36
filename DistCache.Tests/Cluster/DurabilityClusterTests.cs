using System.Text;
using Akka.Configuration;
using DistCache.Protocol;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>Durability modes through a real cluster: what a planned stop keeps, and what mode none forgets.</summary>
public sealed class DurabilityClusterTests
{
    [Fact]
    public async Task Batched_writes_acknowledged_under_load_survive_a_graceful_stop_of_the_whole_cluster()
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
            await WriteHashesAsync(client, "batched-hash:");
            await WriteSetsAsync(client, "batched-set:");
        }
        // Straight after the last acknowledgement, while the journal is still catching up.
        await cluster.StopAllAsync();

        await cluster.StartNodeAsync();
        await using var reader = cluster.Connect(TimeSpan.FromSeconds(60));
        Assert.Equal(keys + Hashes + Sets, await reader.CountAsync());
        var values = await reader.GetManyAsync<int>(Enumerable.Range(0, keys).Select(i => "batched:" + i).ToArray());
        Assert.Equal(Enumerable.Range(0, keys), values);
        await AssertHashesAsync(reader, "batched-hash:");
        await AssertSetsAsync(reader, "batched-set:");
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
        await WriteHashesAsync(client, "moving-hash:");
        await WriteSetsAsync(client, "moving-set:");

        // Half of the shards move to the joining node, then every shard moves back when the first leaves.
        var second = await cluster.StartNodeAsync();
        await Eventually.TrueAsync(async () => await TestCluster.ShardCountAsync(second) >= 8, "the joining node hosts half of the shards");
        await first.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));

        await using var reader = cluster.Connect(TimeSpan.FromSeconds(60));
        Assert.Equal(keys + Hashes + Sets, await reader.CountAsync());
        var values = await reader.GetManyAsync<int>(Enumerable.Range(0, keys).Select(i => "moving:" + i).ToArray());
        Assert.Equal(Enumerable.Range(0, keys), values);
        await AssertHashesAsync(reader, "moving-hash:");
        await AssertSetsAsync(reader, "moving-set:");
    }

    private const int Hashes = 64;

    // Hashes on most partitions, each written field by field and counted up, so what a planned stop or a
    // move keeps of them is checked as for strings.
    private static async Task WriteHashesAsync(DistCache.Client.DistCacheClient client, string prefix) =>
        await Task.WhenAll(Enumerable.Range(0, Hashes).Select(async i =>
        {
            await client.ExecuteAsync(new HashSetFields(prefix + i, [new HashField("a", Encoding.UTF8.GetBytes("v" + i)), new HashField("gone", [1])]));
            await client.ExecuteAsync(new HashIncrementBy(prefix + i, "n", i));
            await client.ExecuteAsync(new HashDeleteFields(prefix + i, ["gone"]));
        }));

    private const int Sets = 32;

    // Sets written member by member, one popped exactly once, so what a stop or a move keeps of them is
    // checked as for hashes.
    private static async Task WriteSetsAsync(DistCache.Client.DistCacheClient client, string prefix) =>
        await Task.WhenAll(Enumerable.Range(0, Sets).Select(async i =>
        {
            await client.ExecuteAsync(new SetAddMembers(prefix + i, ["a", "b", "v" + i]));
            await client.ExecuteAsync(new SetRemoveMembers(prefix + i, ["a"]));
            await client.ExecuteAsync(new SetPop(prefix + i, 1));
        }));

    private static async Task AssertSetsAsync(DistCache.Client.DistCacheClient reader, string prefix)
    {
        for (var i = 0; i < Sets; i++)
        {
            var members = Assert.IsType<SetMembers>(await reader.ExecuteAsync(new SetGetMembers(prefix + i))).Members;
            Assert.Single(members);
            Assert.Contains(members[0].ToString(), new[] { "b", "v" + i });
        }
    }

    private static async Task AssertHashesAsync(DistCache.Client.DistCacheClient reader, string prefix)
    {
        for (var i = 0; i < Hashes; i++)
        {
            var fields = Assert.IsType<HashEntries>(await reader.ExecuteAsync(new HashGetAll(prefix + i))).Fields;
            Assert.Equal($"a=v{i},n={i}", string.Join(",", fields.OrderBy(f => f.Field).Select(f => $"{f.Field}={Encoding.UTF8.GetString(f.Value)}")));
        }
    }
}
