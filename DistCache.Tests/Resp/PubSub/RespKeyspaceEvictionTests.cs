using System.Collections.Concurrent;
using Akka.Configuration;
using DistCache.Actors.Notifications;
using DistCache.Host.Resp;
using DistCache.Tests.Support;
using StackExchange.Redis;

namespace DistCache.Tests.Resp.PubSub;

/// <summary>Keyspace notifications on clusters of their own: a node started with notify-keyspace-events in its
/// configuration (not CONFIG SET) and a memory limit publishes each key its partitions evict on
/// <c>__keyevent@0__:evicted</c>, as Redis's class e; a node that joins after a CONFIG SET takes it up.</summary>
public sealed class RespKeyspaceEvictionTests
{
    [Fact]
    public async Task Every_evicted_key_is_published_as_evicted()
    {
        var config = ConfigurationFactory.ParseString(
            "distcache { max-memory = 200000, eviction-policy = allkeys-lru, notify-keyspace-events = \"Ee\" }");
        await using var cluster = TestCluster.OnSqlite(config);
        var node = await cluster.StartNodeAsync();
        await using var server = RespServer.Start(node, "127.0.0.1", 0);
        var options = ConfigurationOptions.Parse($"127.0.0.1:{server.Port}");
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 30_000;
        options.AllowAdmin = true; // CONFIG
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var evicted = new ConcurrentQueue<string>();
        (await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal("__keyevent@0__:evicted"))).OnMessage(m => evicted.Enqueue(m.Message!));
        var db = redis.GetDatabase();
        // Shown normalised, as Redis shows it.
        Assert.Equal("eE", (string?)(await redis.GetServer(options.EndPoints[0]).ConfigGetAsync("notify-keyspace-events")).Single().Value);

        const int keys = 400;
        for (var i = 0; i < keys; i++)
            await db.StringSetAsync("k" + i, new byte[1000]);
        var kept = (long)await db.ExecuteAsync("DBSIZE");
        Assert.InRange(kept, 1, keys - 1);
        await Eventually.TrueAsync(() => Task.FromResult(evicted.Count >= keys - kept), "every eviction is published", TimeSpan.FromSeconds(30));
        Assert.Equal(keys - kept, evicted.Count);
        Assert.Equal(keys - kept, evicted.Distinct().Count());
        foreach (var key in evicted.Take(20))
            Assert.False(await db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task A_node_that_joins_later_is_sent_the_last_config_set()
    {
        await using var cluster = TestCluster.OnSqlite();
        var first = await cluster.StartNodeAsync();
        first.KeyspaceEvents.Set(KeyspaceEventClasses.Keyevent | KeyspaceEventClasses.Expired); // what CONFIG SET Ex does
        var joined = await cluster.StartNodeAsync();
        await Eventually.TrueAsync(() => Task.FromResult(KeyspaceEventFlags.Format(joined.KeyspaceEvents.Flags) == "xE"),
            "the joined node has the setting", TimeSpan.FromSeconds(30));
    }
}
