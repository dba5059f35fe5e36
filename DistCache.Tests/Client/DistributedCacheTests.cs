using System.Buffers;
using DistCache.Client;
using DistCache.Client.Extensions;
using DistCache.Tests.Support;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DistCache.Tests.Client;

/// <summary>DistCache as an ASP.NET Core application sees it: dependency injection, IDistributedCache,
/// HybridCache's second level and a health check, against a real node.</summary>
[Collection(NodeCollection.Name)]
public sealed class DistributedCacheTests(NodeFixture node)
{
    private ServiceProvider Services(Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddDistCache(o =>
        {
            o.ContactPoints.Add(node.Contact);
            o.RequestTimeout = TimeSpan.FromSeconds(20);
        });
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Options_bind_from_the_DistCache_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DistCache:ContactPoints:0"] = "10.0.0.5:4053",
            ["DistCache:ContactPoints:1"] = "10.0.0.6:4053",
            ["DistCache:RequestTimeout"] = "00:00:07",
            ["DistCache:MaxValueBytes"] = "1048576",
        }).Build();
        using var provider = new ServiceCollection().AddDistCache(configuration).BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<DistCacheClientOptionsBuilder>>().Value.Build();
        Assert.Equal(["10.0.0.5:4053", "10.0.0.6:4053"], options.ContactPoints);
        Assert.Equal(TimeSpan.FromSeconds(7), options.RequestTimeout);
        Assert.Equal(1048576, options.MaxValueBytes);
        Assert.Equal(new DistCacheClientOptions().RetryInterval, options.RetryInterval);
    }

    [Fact]
    public async Task IDistributedCache_sets_gets_refreshes_and_removes()
    {
        await using var provider = Services();
        var cache = provider.GetRequiredService<IDistributedCache>();
        Assert.IsType<DistCacheDistributedCache>(cache);
        Assert.Same(cache, provider.GetRequiredService<IBufferDistributedCache>());

        var key = Guid.NewGuid().ToString("N");
        Assert.Null(await cache.GetAsync(key));
        await cache.SetAsync(key, [1, 2, 3], new DistributedCacheEntryOptions());
        Assert.Equal([1, 2, 3], await cache.GetAsync(key));
        cache.Set(key, [4], new DistributedCacheEntryOptions());
        Assert.Equal([4], cache.Get(key));
        await cache.RefreshAsync(key);
        await cache.RemoveAsync(key);
        Assert.Null(cache.Get(key));

        var buffer = new ArrayBufferWriter<byte>();
        await ((IBufferDistributedCache)cache).SetAsync(key, new ReadOnlySequence<byte>([7, 8]), new DistributedCacheEntryOptions());
        Assert.True(await ((IBufferDistributedCache)cache).TryGetAsync(key, buffer));
        Assert.Equal([7, 8], buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public async Task Absolute_expiration_removes_the_entry_and_a_past_expiry_is_refused()
    {
        await using var provider = Services();
        var cache = provider.GetRequiredService<IDistributedCache>();
        var key = Guid.NewGuid().ToString("N");
        var ttl = TimeSpan.FromSeconds(3);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cache.SetAsync(key, [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = ttl });
        var read = await cache.GetAsync(key);
        // On a loaded 2-core machine the write and the read may take longer than the TTL together: a miss
        // then proves nothing, a miss inside the window is a failure.
        Assert.True(read is not null || clock.Elapsed >= ttl, $"the entry was gone {clock.ElapsedMilliseconds} ms after its write, before its {ttl.TotalSeconds} s TTL");
        await AwaitNull(cache, key);

        // The parameter names are Microsoft's providers' (SQL Server, Redis, memory).
        var past = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cache.SetAsync(key, [1],
            new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.UtcNow.AddMinutes(-1) }));
        Assert.Equal("AbsoluteExpiration", past.ParamName);
        var relative = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cache.SetAsync(key, [1],
            new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.Zero }));
        Assert.Equal("AbsoluteExpirationRelativeToNow", relative.ParamName);
        var sliding = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cache.SetAsync(key, [1],
            new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("SlidingExpiration", sliding.ParamName);
        Assert.Null(await cache.GetAsync(key));
    }

    [Fact]
    public async Task The_applications_clock_decides_when_an_absolute_expiry_has_passed()
    {
        var clock = new ManualClock();
        await using var provider = Services(services => services.AddSingleton<TimeProvider>(clock));
        var cache = provider.GetRequiredService<IDistributedCache>();
        var key = Guid.NewGuid().ToString("N");
        // The server gets a relative TTL of 10 minutes on its own clock; the test clock gets there without waiting.
        await cache.SetAsync(key, [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });
        Assert.NotNull(await cache.GetAsync(key));
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull(await cache.GetAsync(key));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await cache.GetAsync(key));
        Assert.False(await ((IBufferDistributedCache)cache).TryGetAsync(key, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public async Task A_read_slides_the_expiry_but_never_past_the_absolute_one()
    {
        await using var provider = Services();
        var cache = provider.GetRequiredService<IDistributedCache>();
        var client = provider.GetRequiredService<DistCacheClient>();
        var key = Guid.NewGuid().ToString("N");

        await cache.SetAsync(key, [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(30) });
        var before = await client.PttlAsync(key);
        Assert.InRange(before, 25_000, 30_000);
        await Task.Delay(TimeSpan.FromSeconds(1)); // let the TTL run down, then read
        Assert.NotNull(await cache.GetAsync(key));
        // Without the slide the TTL would be at least a second lower; half of that is the margin either way.
        Assert.True(await client.PttlAsync(key) > before - 500, "a read restores the sliding window");
        // One request per read: the server slides the window as it reads (no GET then EXPIRE).
        var operations = node.Node.Metrics.TotalOperations;
        Assert.NotNull(await cache.GetAsync(key));
        await cache.RefreshAsync(key);
        Assert.InRange(await client.PttlAsync(key), 29_000, 30_000);
        await Eventually.TrueAsync(() => Task.FromResult(node.Node.Metrics.TotalOperations >= operations + 3), "three operations are counted", TimeSpan.FromSeconds(5));
        Assert.Equal(operations + 3, node.Node.Metrics.TotalOperations);

        await cache.SetAsync(key, [1], new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromSeconds(30),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(2),
        });
        Assert.NotNull(await cache.GetAsync(key));
        Assert.InRange(await client.PttlAsync(key), 1, 2_000);

        var unread = Guid.NewGuid().ToString("N");
        await cache.SetAsync(unread, [1], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMilliseconds(400) });
        await AwaitNull(provider.GetRequiredService<DistCacheClient>(), unread);
    }

    [Fact]
    public async Task HybridCache_uses_DistCache_as_its_second_level()
    {
        var key = Guid.NewGuid().ToString("N");
        var calls = 0;
        async ValueTask<string> Factory(CancellationToken _)
        {
            Interlocked.Increment(ref calls);
            await Task.Yield();
            return "computed once";
        }

        // Two application instances: separate in-memory first levels, one shared DistCache.
        await using var first = Services(s => s.AddHybridCache());
        await using var second = Services(s => s.AddHybridCache());
        Assert.Equal("computed once", await first.GetRequiredService<HybridCache>().GetOrCreateAsync(key, Factory));
        // HybridCache writes its second level in the background.
        var l2 = first.GetRequiredService<IDistributedCache>();
        await Eventually.TrueAsync(async () => await l2.GetAsync(key) is not null, "HybridCache wrote the value to DistCache");
        Assert.Equal("computed once", await second.GetRequiredService<HybridCache>().GetOrCreateAsync(key, Factory));
        Assert.Equal(1, calls);
        Assert.NotNull(await second.GetRequiredService<IDistributedCache>().GetAsync(key));
    }

    [Fact]
    public async Task The_health_check_is_healthy_while_the_cluster_answers_and_unhealthy_when_it_is_gone()
    {
        var own = new NodeFixture();
        await own.InitializeAsync();
        var services = new ServiceCollection();
        services.AddDistCache(o => o.ContactPoints.Add(own.Contact));
        services.AddLogging();
        services.AddHealthChecks().AddDistCache();
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        // The node is a member, but its partitions may still be recovering (the probe waits at most 3 s).
        await Eventually.TrueAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy,
            "the health check reports the new node healthy", TimeSpan.FromSeconds(60));
        await own.DisposeAsync();
        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("DistCache did not answer", report.Entries["distcache"].Description);
    }

    private static Task AwaitNull(IDistributedCache cache, string key) =>
        Eventually.TrueAsync(async () => await cache.GetAsync(key) is null, key + " expires", TimeSpan.FromSeconds(15));

    private static Task AwaitNull(DistCacheClient client, string key) =>
        Eventually.TrueAsync(async () => !await client.ExistsAsync(key), key + " expires", TimeSpan.FromSeconds(15));
}

public class DistributedCacheEntryTests
{
    [Fact]
    public void Entries_keep_their_expiry_beside_the_payload()
    {
        var data = DistributedCacheEntry.Encode([5, 6], 123, 456);
        Assert.True(DistributedCacheEntry.TryDecode(data, out var absolute, out var sliding));
        Assert.Equal((123L, 456L), (absolute, sliding));
        Assert.Equal([5, 6], data[DistributedCacheEntry.HeaderSize..]);
        Assert.False(DistributedCacheEntry.TryDecode([9, 9], out _, out _));
    }
}
