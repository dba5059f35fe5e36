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
            await WriteListsAsync(client, "batched-list:");
            await WriteSortedSetsAsync(client, "batched-zset:");
            await WriteSetsAsync(client, "batched-set:");
        }
        // Straight after the last acknowledgement, while the journal is still catching up.
        await cluster.StopAllAsync();

        await cluster.StartNodeAsync();
        await using var reader = cluster.Connect(TimeSpan.FromSeconds(60));
        Assert.Equal(keys + Hashes + Lists + SortedSets + Sets, await reader.CountAsync());
        var values = await reader.GetManyAsync<int>(Enumerable.Range(0, keys).Select(i => "batched:" + i).ToArray());
        Assert.Equal(Enumerable.Range(0, keys), values);
        await AssertHashesAsync(reader, "batched-hash:");
        await AssertListsAsync(reader, "batched-list:");
        await AssertSortedSetsAsync(reader, "batched-zset:");
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
        await WriteListsAsync(client, "moving-list:");
        await WriteSortedSetsAsync(client, "moving-zset:");
        await WriteSetsAsync(client, "moving-set:");

        // Half of the shards move to the joining node, then every shard moves back when the first leaves.
        var second = await cluster.StartNodeAsync();
        await Eventually.TrueAsync(async () => await TestCluster.ShardCountAsync(second) >= 8, "the joining node hosts half of the shards");
        await first.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));

        await using var reader = cluster.Connect(TimeSpan.FromSeconds(60));
        Assert.Equal(keys + Hashes + Lists + SortedSets + Sets, await reader.CountAsync());
        var values = await reader.GetManyAsync<int>(Enumerable.Range(0, keys).Select(i => "moving:" + i).ToArray());
        Assert.Equal(Enumerable.Range(0, keys), values);
        await AssertHashesAsync(reader, "moving-hash:");
        await AssertListsAsync(reader, "moving-list:");
        await AssertSortedSetsAsync(reader, "moving-zset:");
        await AssertSetsAsync(reader, "moving-set:");
    }

    private const int Hashes = 64;

    private const int SortedSets = 32;

    // Sorted sets, written member by member, incremented and popped: the journal holds only the changes.
    private static async Task WriteSortedSetsAsync(DistCache.Client.DistCacheClient client, string prefix) =>
        await Task.WhenAll(Enumerable.Range(0, SortedSets).Select(async i =>
        {
            await client.ExecuteAsync(new SortedSetAdd(prefix + i, [new SortedSetEntry("low", -1), new SortedSetEntry("a", i)]));
            await client.ExecuteAsync(new SortedSetAdd(prefix + i, [new SortedSetEntry("a", 0.5)], Increment: true));
            await client.ExecuteAsync(new SortedSetPop(prefix + i, 1));
        }));

    private static async Task AssertSortedSetsAsync(DistCache.Client.DistCacheClient reader, string prefix)
    {
        for (var i = 0; i < SortedSets; i++)
        {
            var entries = Assert.IsType<SortedSetEntries>(await reader.ExecuteAsync(new SortedSetRangeQuery(prefix + i, new RankRange(0, -1)))).Entries;
            Assert.Equal($"a={i + 0.5}", string.Join(",", entries.Select(e => $"{e!.Member}={e.Score}")));
        }
    }

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

    private const int Lists = 64;

    // Lists on most partitions, pushed, popped and edited element by element, so what a planned stop or a
    // move keeps of them is checked as for strings.
    private static async Task WriteListsAsync(DistCache.Client.DistCacheClient client, string prefix) =>
        await Task.WhenAll(Enumerable.Range(0, Lists).Select(async i =>
        {
            await client.ExecuteAsync(new ListPush(prefix + i, [Encoding.UTF8.GetBytes("a"), Encoding.UTF8.GetBytes("b"), Encoding.UTF8.GetBytes("c")], Left: false));
            await client.ExecuteAsync(new ListPop(prefix + i, Left: true));
            await client.ExecuteAsync(new ListSetIndex(prefix + i, -1, Encoding.UTF8.GetBytes("v" + i)));
        }));

    private static async Task AssertListsAsync(DistCache.Client.DistCacheClient reader, string prefix)
    {
        for (var i = 0; i < Lists; i++)
        {
            var items = Assert.IsType<ListItems>(await reader.ExecuteAsync(new ListRange(prefix + i, 0, -1))).Items!;
            Assert.Equal($"b,v{i}", string.Join(",", items.Select(Encoding.UTF8.GetString)));
        }
    }
}
