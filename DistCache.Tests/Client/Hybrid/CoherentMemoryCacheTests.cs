using System.Diagnostics;
using DistCache.Client.Hybrid;
using DistCache.Client.NearCache;
using DistCache.Protocol;
using DistCache.Tests.Support;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace DistCache.Tests.Client.Hybrid;

public sealed class CoherentMemoryCacheTests : IDisposable
{
    private readonly NearCacheStore _near = new(new NearCacheOptions { MaxStaleness = TimeSpan.FromMinutes(10) });
    private readonly L1FillGuard _guard = new();
    private readonly CoherentMemoryCache _cache;
    private long _seq;

    public CoherentMemoryCacheTests() => _cache = new CoherentMemoryCache(new MemoryCache(new MemoryCacheOptions()), _near, _guard);

    public void Dispose() => _cache.Dispose();

    // The node's ticks prove the near cache current from now on (for the next ten minutes): the first names the node
    // (a new node drops everything), the second covers a ping.
    private void Serve()
    {
        var ping = Meet();
        Prove(ping);
    }

    private long Meet()
    {
        var ping = _near.NextPing(Stopwatch.GetTimestamp());
        _near.OnTick(new NearCacheTick("a", ++_seq, 1, ping, -1));
        return ping;
    }

    private void Prove(long ping) => _near.OnTick(new NearCacheTick("a", ++_seq, 1, ping, ping));

    private void Invalidate(string key) => _near.OnInvalidated(new NearCacheInvalidated("a", ++_seq, [CacheKey.FromString(key)], false));

    private void Fill(string key, object value)
    {
        using var entry = _cache.CreateEntry(key);
        entry.Value = value;
    }

    [Fact]
    public void Nothing_is_served_while_the_near_cache_cannot_prove_it_is_current()
    {
        var ping = Meet();
        Fill("k", "v");
        Assert.False(_cache.TryGetValue("k", out _));
        Assert.Equal(1, _cache.Count);
        Prove(ping);
        Assert.True(_cache.TryGetValue("k", out var value));
        Assert.Equal("v", value);
        // Another node: its proof says nothing of what the first one sent, so everything goes.
        _near.OnTick(new NearCacheTick("b", 1, 1, _near.NextPing(Stopwatch.GetTimestamp()), -1));
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public void An_invalidation_of_a_key_drops_its_entry_and_a_drop_of_everything_drops_all()
    {
        Serve();
        Fill("a", 1);
        Fill("b", 2);
        Invalidate("a");
        Assert.False(_cache.TryGetValue("a", out _));
        Assert.True(_cache.TryGetValue("b", out _));
        _near.Clear();
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public void A_value_read_while_its_key_was_invalidated_is_not_kept_and_its_eviction_callback_runs()
    {
        Serve();
        _guard.ReadStarted("k", Stopwatch.GetTimestamp());
        Invalidate("k");
        var evicted = false;
        using (var entry = _cache.CreateEntry("k"))
        {
            entry.Value = "old";
            entry.RegisterPostEvictionCallback((_, _, _, _) => evicted = true);
        }
        Assert.False(_cache.TryGetValue("k", out _));
        Assert.True(evicted);

        _guard.ReadStarted("k", Stopwatch.GetTimestamp());
        Fill("k", "new");
        Assert.True(_cache.TryGetValue("k", out var value));
        Assert.Equal("new", value);
    }

    [Fact]
    public async Task Once_a_changed_tag_time_is_read_every_entry_and_every_fill_in_flight_goes()
    {
        // HybridCache stamps an entry with the time its read began and checks a tag still being read against that
        // stamp: a read after another instance's RemoveByTagAsync would otherwise keep the old value for good.
        using var services = new ServiceCollection().AddDistributedMemoryCache().AddHybridCache().Services.BuildServiceProvider();
        Serve();
        _cache.Tags = TagInvalidationRelay.TryBind(services.GetRequiredService<HybridCache>());
        Assert.NotNull(_cache.Tags);
        Fill("a", 1);
        Fill("b", 2);
        _guard.ReadStarted("c", Stopwatch.GetTimestamp());
        Invalidate("untagged");
        Assert.Equal(2, _cache.Count);

        Invalidate(TagInvalidationRelay.TagKeyPrefix + "t");
        await Eventually.TrueAsync(() => Task.FromResult(_cache.Count == 0), "the first level is empty", TimeSpan.FromSeconds(10));
        Fill("c", 3);
        Assert.False(_cache.TryGetValue("c", out _));
        // A read that starts afterwards fills as usual.
        _guard.ReadStarted("c", Stopwatch.GetTimestamp());
        Fill("c", 3);
        Assert.True(_cache.TryGetValue("c", out _));
    }

    [Fact]
    public void An_entry_keeps_the_expiry_it_was_given()
    {
        Serve();
        using (var entry = _cache.CreateEntry("k"))
        {
            entry.Value = "v";
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMilliseconds(1);
        }
        Thread.Sleep(20);
        Assert.False(_cache.TryGetValue("k", out _));
    }
}
