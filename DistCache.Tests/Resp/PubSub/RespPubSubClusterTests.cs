using System.Collections.Concurrent;
using DistCache.Tests.Support;
using StackExchange.Redis;

namespace DistCache.Tests.Resp.PubSub;

/// <summary>Pub/sub across the shared 3-node cluster: StackExchange.Redis and redis-cli subscribers on other
/// nodes than the publisher get every message, each publisher's in the order published, by name, by pattern
/// and on shard channels, in RESP2 and RESP3.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RespPubSubClusterTests(RespClusterFixture fixture)
{
    private const int Messages = 200;
    private readonly string _prefix = "ps:" + Guid.NewGuid().ToString("N")[..8] + ":";

    private async Task<ConnectionMultiplexer> ConnectAsync(int node, RedisProtocol protocol)
    {
        var options = ConfigurationOptions.Parse(fixture.Endpoint(node));
        options.Protocol = protocol;
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 30_000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    [Fact]
    public async Task A_message_published_on_one_node_reaches_subscribers_on_the_others_in_publish_order()
    {
        var channel = RedisChannel.Literal(_prefix + "news");
        await using var resp2 = await ConnectAsync(0, RedisProtocol.Resp2);
        await using var resp3 = await ConnectAsync(2, RedisProtocol.Resp3);
        await using var publisher = await ConnectAsync(1, RedisProtocol.Resp2);
        var byName2 = new ConcurrentQueue<string>();
        var byName3 = new ConcurrentQueue<string>();
        var byPattern = new ConcurrentQueue<string>();
        (await resp2.GetSubscriber().SubscribeAsync(channel)).OnMessage(m => byName2.Enqueue(m.Message!));
        (await resp3.GetSubscriber().SubscribeAsync(channel)).OnMessage(m => byName3.Enqueue(m.Message!));
        (await resp3.GetSubscriber().SubscribeAsync(RedisChannel.Pattern(_prefix + "n*"))).OnMessage(m => byPattern.Enqueue($"{m.Channel}={m.Message}"));

        var received = new List<long>();
        for (var i = 0; i < Messages; i++)
            received.Add(await publisher.GetSubscriber().PublishAsync(channel, i.ToString()));

        var expected = Enumerable.Range(0, Messages).Select(i => i.ToString()).ToArray();
        await Eventually.TrueAsync(() => Task.FromResult(byName2.Count >= Messages && byName3.Count >= Messages && byPattern.Count >= Messages),
            "every subscriber has every message", TimeSpan.FromSeconds(60));
        Assert.Equal(expected, byName2);
        Assert.Equal(expected, byName3);
        Assert.Equal(expected.Select(i => $"{channel}={i}"), byPattern);
        // PUBLISH counts the receiving node's subscribers only, as Redis Cluster does: none on node 1.
        Assert.All(received, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task Redis_cli_subscribed_on_one_node_prints_what_another_node_published()
    {
        var channel = _prefix + "cli";
        var shard = _prefix + "shard";
        // redis-cli prints each message as it comes and runs until it is stopped: its lines are read as they come.
        using var subscriber = new System.Diagnostics.Process
        {
            StartInfo = new System.Diagnostics.ProcessStartInfo("redis-cli", ["-p", fixture.Servers[2].Port.ToString(), "SUBSCRIBE", channel])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
        };
        subscriber.Start();
        try
        {
            var lines = new ConcurrentQueue<string>();
            subscriber.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            subscriber.BeginOutputReadLine();
            await using var publisher = await ConnectAsync(0, RedisProtocol.Resp3);
            var sub = publisher.GetSubscriber();
            await Eventually.TrueAsync(() => Task.FromResult(lines.Contains("1")), "redis-cli has subscribed", TimeSpan.FromSeconds(30));
            await sub.PublishAsync(RedisChannel.Literal(channel), "hello");
            await sub.PublishAsync(RedisChannel.Literal(channel), "world");
            await Eventually.TrueAsync(() => Task.FromResult(lines.Contains("world")), "redis-cli printed both messages", TimeSpan.FromSeconds(30));
            Assert.Equal(["subscribe", channel, "1", "message", channel, "hello", "message", channel, "world"], lines.Take(9));

            // A shard channel is a namespace of its own: SPUBLISH reaches SSUBSCRIBE, not SUBSCRIBE.
            var shardMessages = new ConcurrentQueue<string>();
            await using var shardSubscriber = await ConnectAsync(1, RedisProtocol.Resp3);
            (await shardSubscriber.GetSubscriber().SubscribeAsync(RedisChannel.Sharded(shard))).OnMessage(m => shardMessages.Enqueue(m.Message!));
            await publisher.GetDatabase().ExecuteAsync("SPUBLISH", shard, "s1");
            await publisher.GetDatabase().ExecuteAsync("PUBLISH", shard, "not-for-shard");
            await sub.PublishAsync(RedisChannel.Sharded(shard), "s2");
            await Eventually.TrueAsync(() => Task.FromResult(shardMessages.Count >= 2), "the shard subscriber has both", TimeSpan.FromSeconds(30));
            Assert.Equal(["s1", "s2"], shardMessages);
        }
        finally
        {
            subscriber.Kill();
            await subscriber.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_disconnected_and_the_node_carries_on()
    {
        var channel = _prefix + "flood";
        using var idle = await RawSocket.OpenAsync(fixture.Servers[0].Port);
        idle.ReceiveBufferSize = 4096;
        await idle.SendAsync(System.Text.Encoding.ASCII.GetBytes($"SUBSCRIBE {channel}\r\n"));
        await using var publisher = await ConnectAsync(0, RedisProtocol.Resp2);
        var db = publisher.GetDatabase();
        await Eventually.TrueAsync(async () => (long)((RedisResult[])(await db.ExecuteAsync("PUBSUB", "NUMSUB", channel))!)[1] == 1,
            "the idle subscriber has subscribed", TimeSpan.FromSeconds(30));

        // 1 KiB messages, far more than the socket buffers hold: the rest waits in the node until the limit.
        var message = new string('x', 1024);
        var sent = 0;
        await Eventually.TrueAsync(async () =>
        {
            var batch = Enumerable.Range(0, 2_000).Select(_ => publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), message)).ToArray();
            await Task.WhenAll(batch);
            sent += batch.Length;
            return (long)((RedisResult[])(await db.ExecuteAsync("PUBSUB", "NUMSUB", channel))!)[1] == 0;
        }, "the subscriber that does not read is disconnected", TimeSpan.FromSeconds(60));

        Assert.InRange(sent, DistCache.Host.Resp.PubSub.RespPushSink.MaxWaiting, 200_000);
        await db.StringSetAsync(_prefix + "after", "ok");
        Assert.Equal("ok", (string?)await db.StringGetAsync(_prefix + "after"));
    }
}
