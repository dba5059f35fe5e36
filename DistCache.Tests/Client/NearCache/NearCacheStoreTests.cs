using System.Diagnostics;
using DistCache.Client.NearCache;
using DistCache.Protocol;

namespace DistCache.Tests.Client.NearCache;

public sealed class NearCacheStoreTests
{
    private static readonly long Second = Stopwatch.Frequency;
    private static readonly CacheKey Key = CacheKey.FromString("k");
    private static readonly CacheValue Value = new(ValueKind.String, "v"u8.ToArray());

    private readonly NearCacheStore _store = new(new NearCacheOptions { MaxStaleness = TimeSpan.FromSeconds(1) });
    private long _seq;

    // A tick from node "a" in epoch 1 that covers the ping given.
    private void Tick(long covered, long lastPing, string node = "a", long epoch = 1) =>
        _store.OnTick(new NearCacheTick(node, ++_seq, epoch, lastPing, covered));

    private void Cache(long now)
    {
        var fetch = _store.BeginFetch(Key, now);
        _store.Complete(Key, fetch, new FoundCacheable(Value, -1, false));
    }

    [Fact]
    public void Serves_only_while_the_newest_covered_ping_is_younger_than_the_bound()
    {
        var ping = _store.NextPing(10 * Second);
        Assert.False(_store.TryGet(Key, 10 * Second, out _));
        Tick(covered: -1, lastPing: ping);
        Cache(10 * Second);
        Assert.False(_store.TryGet(Key, 10 * Second, out _)); // no ping covered yet
        Tick(covered: ping, lastPing: ping);
        Assert.True(_store.TryGet(Key, 10 * Second + Second / 2, out var value));
        Assert.Equal(Value, value);
        Assert.False(_store.TryGet(Key, 11 * Second, out _)); // the ping is a second old: not proof enough
    }

    [Fact]
    public void A_read_that_an_invalidation_overtook_is_not_kept()
    {
        var ping = _store.NextPing(0);
        Tick(covered: -1, lastPing: ping);
        Tick(covered: ping, lastPing: ping);
        var fetch = _store.BeginFetch(Key, 0);
        _store.OnInvalidated(new NearCacheInvalidated("a", ++_seq, [Key], false));
        _store.Complete(Key, fetch, new FoundCacheable(Value, -1, false));
        Assert.False(_store.TryGet(Key, 1, out _));
        Cache(2);
        Assert.True(_store.TryGet(Key, 3, out _));
    }

    [Fact]
    public void A_lost_message_an_epoch_change_or_a_clear_drops_everything_and_reads_in_flight()
    {
        var ping = _store.NextPing(0);
        Tick(covered: -1, lastPing: ping);
        Tick(covered: ping, lastPing: ping);
        Cache(0);
        _seq++; // one message lost
        Tick(covered: ping, lastPing: ping);
        Assert.False(_store.TryGet(Key, 1, out _));

        Cache(1);
        var inFlight = _store.BeginFetch(CacheKey.FromString("other"), 1);
        Tick(covered: ping, lastPing: ping, epoch: 2);
        Assert.False(_store.TryGet(Key, 2, out _));
        _store.Complete(CacheKey.FromString("other"), inFlight, new FoundCacheable(Value, -1, false));
        Assert.False(_store.TryGet(CacheKey.FromString("other"), 2, out _));

        Cache(2);
        _store.OnInvalidated(new NearCacheInvalidated("a", ++_seq, [], All: true));
        Assert.False(_store.TryGet(Key, 3, out _));
    }

    [Fact]
    public void Another_node_is_followed_only_when_it_answers_a_newer_ping()
    {
        var first = _store.NextPing(0);
        Tick(covered: -1, lastPing: first);
        Tick(covered: first, lastPing: first);
        Cache(0);
        // The node the client left still ticks for a while, with the pings it had: ignored.
        _store.OnTick(new NearCacheTick("b", 1, 7, first, first));
        Assert.True(_store.TryGet(Key, 1, out _));
        var second = _store.NextPing(1);
        _store.OnTick(new NearCacheTick("b", 2, 7, second, -1));
        Assert.False(_store.TryGet(Key, 2, out _));
    }

    [Fact]
    public void Sliding_keys_are_not_kept_and_a_time_to_live_counts_from_the_read()
    {
        var ping = _store.NextPing(0);
        Tick(covered: -1, lastPing: ping);
        Tick(covered: ping, lastPing: ping);
        var fetch = _store.BeginFetch(Key, 0);
        _store.Complete(Key, fetch, new FoundCacheable(Value, 5000, Sliding: true));
        Assert.False(_store.TryGet(Key, 1, out _));

        fetch = _store.BeginFetch(Key, 0);
        _store.Complete(Key, fetch, new FoundCacheable(Value, 100, false));
        Assert.True(_store.TryGet(Key, Second / 20, out _));
        Assert.False(_store.TryGet(Key, Second / 10, out _));
    }

    [Fact]
    public void A_missing_key_is_kept_as_missing()
    {
        var ping = _store.NextPing(0);
        Tick(covered: -1, lastPing: ping);
        Tick(covered: ping, lastPing: ping);
        var fetch = _store.BeginFetch(Key, 0);
        _store.Complete(Key, fetch, new FoundCacheable(null, -1, false));
        Assert.True(_store.TryGet(Key, 1, out var value));
        Assert.Null(value);
    }
}
