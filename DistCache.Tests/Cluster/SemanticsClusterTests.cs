using Akka.Configuration;
using DistCache.Client;
using DistCache.Tests.Client;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>Every cache operation through a 3-node cluster, then again after a whole-cluster restart.</summary>
public sealed class SemanticsClusterTests
{
    [Fact]
    public async Task Every_operation_works_across_three_nodes_and_survives_a_restart()
    {
        await using var cluster = TestCluster.OnSqlite();
        for (var i = 0; i < 3; i++)
            await cluster.StartNodeAsync();

        long casVersion;
        await using (var client = cluster.Connect(TimeSpan.FromSeconds(30)))
        {
            await client.SetAsync("plain", "v");
            await client.SetAsync("short-lived", "v", TimeSpan.FromMilliseconds(300));
            await client.SetAsync("long-lived", "v", TimeSpan.FromHours(1));
            Assert.True(await client.AddAsync("added", "a"));
            Assert.False(await client.AddAsync("added", "b"));
            Assert.False(await client.ReplaceAsync("nobody", "x"));
            Assert.True(await client.ReplaceAsync("added", "c"));
            Assert.Equal(5, await client.AppendAsync("text", "hello"));
            Assert.Equal(6, await client.PrependAsync("text", ">"));
            Assert.Equal((true, "c"), await client.GetSetAsync("added", "d"));
            await client.SetAsync("doomed", 1);
            Assert.Equal((true, 1), await client.GetDeleteAsync<int>("doomed"));

            var read = await client.GetWithVersionAsync<string>("plain");
            Assert.NotNull(read);
            Assert.True(await client.CompareAndSetAsync("plain", "w", read.Version));
            Assert.False(await client.CompareAndSetAsync("plain", "x", read.Version));
            casVersion = (await client.GetWithVersionAsync<string>("plain"))!.Version;

            Assert.True(await client.ExpireAsync("text", TimeSpan.FromHours(2)));
            Assert.InRange((await client.TtlAsync("text"))!.Value, TimeSpan.FromMinutes(119), TimeSpan.FromHours(2));
            Assert.True(await client.PersistAsync("text"));
            Assert.Null(await client.TtlAsync("text"));
            Assert.Equal(-2, await client.PttlAsync("missing"));

            var many = Enumerable.Range(0, 200).Select(i => KeyValuePair.Create("m" + i, i)).ToArray();
            await client.SetManyAsync(many);
            var got = await client.GetManyAsync<int>(many.Select(m => m.Key).Append("m-missing"));
            Assert.Equal(many.Select(m => m.Value).Append(0), got);

            await client.SetAsync("person", new ValueCodecTests.Address("Oslo", 150));
            await Eventually.TrueAsync(async () => !await client.ExistsAsync("short-lived"), "short-lived expires", TimeSpan.FromSeconds(10));
            Assert.Equal(205, await client.CountAsync());
        }

        await cluster.StopAllAsync();
        for (var i = 0; i < 3; i++)
            await cluster.StartNodeAsync();

        await using (var client = cluster.Connect(TimeSpan.FromSeconds(30)))
        {
            Assert.Equal("w", await client.GetAsync<string>("plain"));
            Assert.Equal(casVersion, (await client.GetWithVersionAsync<string>("plain"))!.Version);
            Assert.False((await client.TryGetAsync<string>("short-lived")).Found);
            Assert.NotNull(await client.TtlAsync("long-lived"));
            Assert.Equal("d", await client.GetAsync<string>("added"));
            Assert.Equal(">hello", await client.GetAsync<string>("text"));
            Assert.False(await client.ExistsAsync("doomed"));
            Assert.Equal(new ValueCodecTests.Address("Oslo", 150), await client.GetAsync<ValueCodecTests.Address>("person"));
            Assert.Equal(205, await client.CountAsync());

            var scanned = new List<string>();
            await foreach (var key in client.ScanAllAsync(pageSize: 37))
                scanned.Add(key);
            Assert.Equal(205, scanned.Count);
            Assert.Equal(scanned.Count, scanned.Distinct().Count());
            Assert.Contains("m199", scanned);

            await client.FlushAsync();
            Assert.Equal(0, await client.CountAsync());
        }
    }

    [Fact]
    public async Task Bad_input_to_every_operation_is_a_typed_error_that_changes_nothing()
    {
        await using var cluster = TestCluster.OnSqlite();
        await cluster.StartNodeAsync();
        await using var client = cluster.Connect(TimeSpan.FromSeconds(30));
        await client.SetAsync("obj", new List<int> { 1 });
        await client.SetAsync("s", "text");

        await Assert.ThrowsAsync<InvalidArgumentException>(() => client.SetAsync("s", "x", TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<WrongTypeException>(() => client.AppendAsync("obj", "x"));
        await Assert.ThrowsAsync<KeyTooLongException>(() => client.GetManyAsync<string>(["ok", new string('k', 2000)]));
        await Assert.ThrowsAsync<InvalidKeyException>(() => client.SetManyAsync([KeyValuePair.Create("", "v")]));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => client.ScanAsync("not-a-cursor"));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => client.ScanAsync("0", 0));
        await Assert.ThrowsAsync<ValueTypeMismatchException>(() => client.GetAsync<long>("s"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.AppendAsync("s", (string)null!));

        Assert.Equal("text", await client.GetAsync<string>("s"));
        Assert.Equal([1], await client.GetAsync<List<int>>("obj"));
        Assert.Equal(2, await client.CountAsync());
    }

    [Fact]
    public async Task A_memory_limit_refuses_or_evicts_and_evicted_keys_stay_gone_after_restart()
    {
        var config = ConfigurationFactory.ParseString("distcache { max-memory = 200000, eviction-policy = allkeys-lru }");
        await using var cluster = TestCluster.OnSqlite(config);
        await cluster.StartNodeAsync();
        await using (var client = cluster.Connect(TimeSpan.FromSeconds(30)))
        {
            for (var i = 0; i < 400; i++)
                await client.SetAsync("k" + i, new byte[1000]);
            var kept = await client.CountAsync();
            Assert.InRange(kept, 64, 399); // 200 KB holds far fewer than 400 KB of values
            Assert.True(await client.ExistsAsync("k399")); // the newest write is never the one evicted
        }

        long before;
        await using (var client = cluster.Connect(TimeSpan.FromSeconds(30)))
            before = await client.CountAsync();
        await cluster.StopAllAsync();
        await cluster.StartNodeAsync();
        await using (var client = cluster.Connect(TimeSpan.FromSeconds(30)))
            Assert.Equal(before, await client.CountAsync());

        var strict = ConfigurationFactory.ParseString("distcache { max-memory = 100000, eviction-policy = noeviction }");
        await using var limited = TestCluster.OnSqlite(strict);
        await limited.StartNodeAsync();
        await using var writer = limited.Connect(TimeSpan.FromSeconds(30));
        var stored = 0;
        OutOfMemoryLimitException? refused = null;
        for (var i = 0; i < 400 && refused is null; i++)
        {
            try
            {
                await writer.SetAsync("k" + i, new byte[1000]);
                stored++;
            }
            catch (OutOfMemoryLimitException ex)
            {
                refused = ex;
            }
        }
        Assert.NotNull(refused);
        Assert.Contains("distcache.max-memory", refused.Message);
        Assert.Equal(stored, await writer.CountAsync());
    }
}
