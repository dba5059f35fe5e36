using System.Diagnostics;
using DistCache.Client;
using DistCache.Client.NearCache;
using DistCache.Tests.Support;

namespace DistCache.Tests.Client.NearCache;

/// <summary>Near caches of two clients that enter the cluster through different nodes, over the shared cluster.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class NearCacheClusterTests(RespClusterFixture fixture) : IAsyncLifetime
{
    private DistCacheClient _a = null!;
    private DistCacheClient _b = null!;

    private DistCacheClient Connect(int node) => new(new DistCacheClientOptions
    {
        ContactPoints = [$"127.0.0.1:{fixture.Cluster.Nodes[node].Port}"],
        RequestTimeout = TimeSpan.FromSeconds(20),
        NearCache = new NearCacheOptions(),
    });

    public async Task InitializeAsync()
    {
        _a = Connect(0);
        _b = Connect(1);
        // Both near caches serve once their node shows it hears every other node.
        await Eventually.TrueAsync(() => Task.FromResult(_a.Near!.Serving(Stopwatch.GetTimestamp()) && _b.Near!.Serving(Stopwatch.GetTimestamp())),
            "both near caches serve", TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    // Reads until one is served from the near cache (a read right after another client's write may still go to the cluster).
    private static async Task<string?> ReadCachedAsync(DistCacheClient client, string key)
    {
        var hits = client.Near!.Reads.Hits;
        string? value = null;
        await Eventually.TrueAsync(async () =>
        {
            value = await client.GetAsync<string>(key);
            return client.Near.Reads.Hits > hits;
        }, $"a read of {key} is served from the near cache", TimeSpan.FromSeconds(20));
        return value;
    }

    [Fact]
    public async Task A_write_through_another_node_reaches_the_near_cache_that_holds_the_key()
    {
        const string key = "near:write";
        await _b.SetAsync(key, "one");
        Assert.Equal("one", await ReadCachedAsync(_a, key));

        await _b.SetAsync(key, "two");
        var acknowledged = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => await _a.GetAsync<string>(key) == "two", "the other client reads the new value", TimeSpan.FromSeconds(5));
        Assert.True(acknowledged.Elapsed < new NearCacheOptions().MaxStaleness + TimeSpan.FromMilliseconds(500),
            $"the old value was served {acknowledged.ElapsedMilliseconds} ms after the write was acknowledged");
        Assert.Equal("two", await ReadCachedAsync(_a, key));

        await _b.DeleteAsync(key);
        await Eventually.TrueAsync(async () => await _a.GetAsync<string>(key) is null, "the other client sees the key gone", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_client_reads_its_own_write_at_once()
    {
        const string key = "near:own";
        await _a.SetAsync(key, "one");
        Assert.Equal("one", await ReadCachedAsync(_a, key));
        await _a.SetAsync(key, "two");
        Assert.Equal("two", await _a.GetAsync<string>(key));
    }

    [Fact]
    public async Task A_cached_value_expires_with_its_key()
    {
        const string key = "near:ttl";
        await _b.SetAsync(key, "short", TimeSpan.FromSeconds(5));
        Assert.Equal("short", await ReadCachedAsync(_a, key));
        await Eventually.TrueAsync(async () => await _a.GetAsync<string>(key) is null, "the value expires", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_write_through_the_redis_port_invalidates_too()
    {
        const string key = "near:resp";
        await _b.SetAsync(key, "one");
        Assert.Equal("one", await ReadCachedAsync(_a, key));
        Assert.Equal("OK", (await RedisCli.RunAsync(fixture.Servers[2].Port, null, null, "SET", key, "two")).Stdout);
        await Eventually.TrueAsync(async () => await _a.GetAsync<string>(key) == "two", "the Redis write is seen", TimeSpan.FromSeconds(5));
    }
}
