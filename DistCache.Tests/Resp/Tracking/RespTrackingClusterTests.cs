using System.Collections.Concurrent;
using System.Diagnostics;
using DistCache.Tests.Support;
using StackExchange.Redis;

namespace DistCache.Tests.Resp.Tracking;

/// <summary>CLIENT TRACKING across the shared 3-node cluster, on the wire: a key read through one node is
/// invalidated by a write through another (RESP3 push, RESP2 message to the REDIRECT connection), once; BCAST
/// prefixes with NOLOOP; expiry; FLUSHALL's null invalidation. Other nodes' invalidations start flowing a tick or
/// two after a node starts listening, so a write is repeated until its invalidation comes (within a deadline).
/// A null invalidation (this node may have missed some) can come at any time and is skipped.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RespTrackingClusterTests(RespClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly string _prefix = "trk:" + Guid.NewGuid().ToString("N")[..8] + ":";

    private async Task<Connection> ConnectAsync(int node, int protocol = 2)
    {
        var connection = new Connection(await RespWire.OpenAsync(fixture.Servers[node].Port));
        if (protocol == 3)
            Assert.StartsWith("[$server $redis", await connection.CallAsync("HELLO", "3"));
        return connection;
    }

    private static string Push(params string[] keys) => $">[$invalidate [{string.Join(" ", keys.Select(k => "$" + k))}]]";

    private static string Message(params string[] keys) => $"[$message $__redis__:invalidate [{string.Join(" ", keys.Select(k => "$" + k))}]]";

    private static bool IsNull(string frame) => frame is ">[$invalidate nil]" or "[$message $__redis__:invalidate nil]";

    /// <summary>A connection whose replies are read in order while the pushes that come between them are set aside.</summary>
    private sealed class Connection(RespWire wire) : IAsyncDisposable
    {
        private readonly Queue<string> _pushes = new();

        public async Task<string> CallAsync(params string[] words)
        {
            await wire.SendAsync(words);
            while (true)
            {
                var frame = await wire.ReadAsync(TimeSpan.FromSeconds(30));
                if (!frame.StartsWith('>'))
                    return frame;
                _pushes.Enqueue(frame);
            }
        }

        public async Task<string?> NextPushAsync(TimeSpan patience)
        {
            if (_pushes.TryDequeue(out var push))
                return push;
            try
            {
                return await wire.ReadAsync(patience);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }

        public ValueTask DisposeAsync() => wire.DisposeAsync();
    }

    // Runs write until an invalidation arrives on pushes, and returns it. A null invalidation means the client must
    // drop what it cached: its keys are read again (reread) before the next try.
    private static async Task<string> NextAfterAsync(Connection pushes, Func<Task> write, Func<Task>? reread = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await write();
            var round = Stopwatch.StartNew();
            while (round.Elapsed < TimeSpan.FromMilliseconds(500))
            {
                var frame = await pushes.NextPushAsync(TimeSpan.FromMilliseconds(500) - round.Elapsed);
                if (frame is null)
                    break;
                if (!IsNull(frame))
                    return frame;
                if (reread is not null)
                    await reread();
            }
            Assert.True(clock.Elapsed < Deadline, "no invalidation came");
        }
    }

    [Fact]
    public async Task Resp3_a_key_read_here_is_invalidated_once_by_a_write_through_another_node()
    {
        string key = _prefix + "k", other = _prefix + "j";
        await using var reader = await ConnectAsync(0, protocol: 3);
        await using var writer = await ConnectAsync(1);
        Assert.Equal("OK", await reader.CallAsync("CLIENT", "TRACKING", "on"));
        Assert.Equal("nil", await reader.CallAsync("GET", key));
        Assert.Equal("nil", await reader.CallAsync("GET", other));

        var n = 0;
        Assert.Equal(Push(key), await NextAfterAsync(reader, async () => Assert.Equal("OK", await writer.CallAsync("SET", key, $"{n++}")),
            async () => await reader.CallAsync("MGET", key, other)));
        // Forgotten once told: another write of it says nothing, while the other key read is still reported.
        Assert.Equal("OK", await writer.CallAsync("SET", key, "again"));
        Assert.Equal(Push(other), await NextAfterAsync(reader, async () => Assert.Equal("OK", await writer.CallAsync("SET", other, "1")),
            async () => await reader.CallAsync("GET", other)));
        // Read again, it is tracked again; a delete is a change too.
        Assert.Equal("$again", await reader.CallAsync("GET", key));
        Assert.Equal(Push(key), await NextAfterAsync(reader, async () => await writer.CallAsync("DEL", key),
            async () => await reader.CallAsync("GET", key)));
        Assert.Contains(" flags=t ", await reader.CallAsync("CLIENT", "INFO"));
    }

    [Fact]
    public async Task Resp2_invalidations_go_to_the_subscribed_redirect_connection_as_messages()
    {
        string key = _prefix + "r";
        await using var redirect = await ConnectAsync(0);
        await using var tracker = await ConnectAsync(0);
        await using var writer = await ConnectAsync(2);
        var id = (await redirect.CallAsync("CLIENT", "ID"))[1..];
        Assert.Equal("[$subscribe $__redis__:invalidate :1]", await redirect.CallAsync("SUBSCRIBE", "__redis__:invalidate"));
        Assert.Equal("OK", await tracker.CallAsync("CLIENT", "TRACKING", "on", "REDIRECT", id));
        Assert.Equal($":{id}", await tracker.CallAsync("CLIENT", "GETREDIR"));
        Assert.Equal("[nil nil]", await tracker.CallAsync("MGET", key, key + "2"));

        Assert.Equal(Message(key), await NextAfterAsync(redirect, async () => await writer.CallAsync("SET", key, "v"),
            async () => await tracker.CallAsync("GET", key)));
        var line = await tracker.CallAsync("CLIENT", "INFO");
        Assert.Contains(" flags=t ", line);
        Assert.Contains($" redir={id} ", line);

        // The redirect connection gone: the tracking connection is marked so (RESP2 gets no push about it).
        await redirect.DisposeAsync();
        Assert.Equal("$v", await tracker.CallAsync("GET", key));
        await Eventually.TrueAsync(async () =>
        {
            await writer.CallAsync("SET", key, "w");
            return (await tracker.CallAsync("CLIENT", "TRACKINGINFO")).Contains("$broken_redirect");
        }, "the broken redirect is reported", Deadline);
        Assert.Contains(" flags=tR ", await tracker.CallAsync("CLIENT", "INFO"));
    }

    [Fact]
    public async Task Bcast_reports_every_change_under_its_prefixes_and_noloop_leaves_out_its_own_writes()
    {
        string x = _prefix + "x:", y = _prefix + "y:";
        await using var tracker = await ConnectAsync(0, protocol: 3);
        await using var writer = await ConnectAsync(1);
        Assert.Equal("OK", await tracker.CallAsync("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", x, "PREFIX", y, "NOLOOP"));

        Assert.Equal(Push(x + "1"), await NextAfterAsync(tracker, async () => await writer.CallAsync("SET", x + "1", "a")));
        // Never read, yet reported, every time; keys outside the prefixes are not.
        Assert.Equal("OK", await writer.CallAsync("SET", _prefix + "z", "c"));
        Assert.Equal(Push(y + "1"), await NextAfterAsync(tracker, async () => await writer.CallAsync("SET", y + "1", "b")));
        Assert.Equal(Push(x + "1"), await NextAfterAsync(tracker, async () => await writer.CallAsync("SET", x + "1", "b")));

        // Its own write through this node is not reported to it; the next one, someone else's, is.
        Assert.Equal("OK", await tracker.CallAsync("SET", x + "own", "mine"));
        Assert.Equal(Push(x + "2"), await NextAfterAsync(tracker, async () => await writer.CallAsync("SET", x + "2", "theirs")));
        Assert.Contains(" flags=tB ", await tracker.CallAsync("CLIENT", "INFO"));
    }

    [Fact]
    public async Task A_key_that_expires_is_invalidated()
    {
        string key = _prefix + "e";
        await using var tracker = await ConnectAsync(0, protocol: 3);
        await using var writer = await ConnectAsync(2);
        Assert.Equal("OK", await tracker.CallAsync("CLIENT", "TRACKING", "on"));
        // Listening first (a write of another key comes through), so the expiry cannot be missed.
        Assert.Equal("nil", await tracker.CallAsync("GET", key + "w"));
        await NextAfterAsync(tracker, async () => await writer.CallAsync("SET", key + "w", "1"), async () => await tracker.CallAsync("GET", key + "w"));
        // Long enough for the read through the other node to come first on a busy machine (300 ms was not: a CI
        // run read nil).
        Assert.Equal("OK", await writer.CallAsync("SET", key, "v", "PX", "1500"));
        Assert.Equal("$v", await tracker.CallAsync("GET", key));
        // Reading it once it is due removes it, if active expiry has not yet. (After a null invalidation it is read
        // again: nil once it expired, which tracks it, though no further change will come for it.)
        var expired = await NextAfterAsync(tracker, async () => await writer.CallAsync("GET", key), async () => await tracker.CallAsync("GET", key));
        Assert.Equal(Push(key), expired);
    }

    [Fact]
    public async Task Flushall_sends_the_null_invalidation()
    {
        await using var tracker = await ConnectAsync(0, protocol: 3);
        await using var writer = await ConnectAsync(1);
        string key = _prefix + "f", after = _prefix + "after";
        Assert.Equal("OK", await tracker.CallAsync("CLIENT", "TRACKING", "on"));
        Assert.Equal("nil", await tracker.CallAsync("GET", key));
        await NextAfterAsync(tracker, async () => await writer.CallAsync("SET", key, "1"), async () => await tracker.CallAsync("GET", key));
        Assert.Equal("$1", await tracker.CallAsync("GET", key));

        Assert.Equal("OK", await writer.CallAsync("FLUSHALL"));
        Assert.Equal(">[$invalidate nil]", await tracker.NextPushAsync(Deadline));
        // Everything read before was forgotten with it: a change of the key read says nothing now, one read after does.
        Assert.Equal("nil", await tracker.CallAsync("GET", after));
        Assert.Equal("OK", await writer.CallAsync("SET", key, "2"));
        Assert.Equal(Push(after), await NextAfterAsync(tracker, async () => await writer.CallAsync("SET", after, "1"), async () => await tracker.CallAsync("GET", after)));
    }

    [Fact]
    public async Task A_stackexchange_redis_subscriber_on_the_invalidate_channel_gets_each_key_as_a_message()
    {
        // StackExchange.Redis has no client-side caching of its own (StackExchange/StackExchange.Redis#1461); its RESP2
        // subscription connection can still be the REDIRECT target, and it reads the key array as one message per key.
        string key = _prefix + "se";
        var options = ConfigurationOptions.Parse(fixture.Endpoint(0));
        options.ClientName = "trk-" + Guid.NewGuid().ToString("N")[..8];
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var keys = new ConcurrentQueue<string>();
        (await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal("__redis__:invalidate"))).OnMessage(m => keys.Enqueue(m.Message.IsNull ? "nil" : (string)m.Message!));
        var clients = (string)(await redis.GetDatabase().ExecuteAsync("CLIENT", "LIST"))!;
        var line = clients.Split('\n').SingleOrDefault(l => l.Contains($" name={options.ClientName} ") && l.Contains(" cmd=subscribe "));
        Assert.True(line is not null, clients);
        var id = line.Split(' ')[0]["id=".Length..];
        await using var tracker = await ConnectAsync(0);
        await using var writer = await ConnectAsync(1);
        Assert.Equal("OK", await tracker.CallAsync("CLIENT", "TRACKING", "on", "REDIRECT", id));

        await Eventually.TrueAsync(async () =>
        {
            await tracker.CallAsync("GET", key);
            await writer.CallAsync("SET", key, "v");
            await Task.Delay(200);
            return keys.Contains(key);
        }, "the subscriber got the key", Deadline);
    }
}
