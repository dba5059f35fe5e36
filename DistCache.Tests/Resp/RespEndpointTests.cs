using DistCache.Wire;
using System.Net.Sockets;
using System.Text;
using DistCache.Tests.Support;
using StackExchange.Redis;

namespace DistCache.Tests.Resp;

/// <summary>StackExchange.Redis and raw sockets against the Redis protocol endpoints of a 3-node cluster:
/// every command, through any node, pipelined, and with bad input.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RespEndpointTests(RespClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private async Task<ConnectionMultiplexer> ConnectAsync(int node, RedisProtocol protocol = RedisProtocol.Resp2)
    {
        var options = ConfigurationOptions.Parse(fixture.Endpoint(node));
        options.AllowAdmin = true;
        options.Protocol = protocol;
        options.ClientName = "tests";
        options.SyncTimeout = 30_000;
        options.AsyncTimeout = 30_000;
        options.ConnectTimeout = 30_000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    [Fact]
    public async Task Every_command_works_through_any_node()
    {
        await using var a = await ConnectAsync(0);
        await using var b = await ConnectAsync(1);
        await using var c = await ConnectAsync(2, RedisProtocol.Resp3);
        var (da, db, dc) = (a.GetDatabase(), b.GetDatabase(), c.GetDatabase());
        var prefix = Guid.NewGuid().ToString("N")[..8] + ":";
        string K(string name) => prefix + name;

        Assert.True(await da.StringSetAsync(K("s"), "hello"));
        Assert.Equal("hello", (string?)await db.StringGetAsync(K("s")));
        Assert.Equal("hello", (string?)await dc.StringGetAsync(K("s")));
        Assert.True((await dc.StringGetAsync(K("missing"))).IsNull);
        Assert.False(await db.StringSetAsync(K("s"), "other", when: When.NotExists));
        Assert.False(await db.StringSetAsync(K("nx-missing"), "x", when: When.Exists));
        Assert.Equal("hello", (string?)await dc.StringSetAndGetAsync(K("s"), "world"));
        Assert.Equal("world", (string?)await dc.StringGetSetAsync(K("s"), "again"));
        Assert.Equal(6, await da.StringAppendAsync(K("s"), "!"));
        Assert.Equal(6, await db.StringLengthAsync(K("s")));
        Assert.Equal("again!", (string?)await dc.StringGetDeleteAsync(K("s")));
        Assert.False(await da.KeyExistsAsync(K("s")));

        Assert.Equal(1, (long)await da.ExecuteAsync("SETNX", K("nx"), "1"));
        Assert.Equal(0, (long)await db.ExecuteAsync("SETNX", K("nx"), "2"));
        Assert.Equal(1, await db.StringIncrementAsync(K("n")));
        Assert.Equal(11, await dc.StringIncrementAsync(K("n"), 10));
        Assert.Equal(10, await da.StringDecrementAsync(K("n")));
        Assert.Equal(3, await db.StringDecrementAsync(K("n"), 7));
        await dc.StringSetAsync(K("text"), "abc");
        var notInteger = await Assert.ThrowsAsync<RedisServerException>(() => dc.StringIncrementAsync(K("text")));
        Assert.Equal("ERR value is not an integer or out of range", notInteger.Message);

        Assert.True(await da.StringSetAsync(K("t"), "v", TimeSpan.FromSeconds(100)));
        var ttl = await db.KeyTimeToLiveAsync(K("t"));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(100));
        Assert.InRange((long)await dc.ExecuteAsync("TTL", K("t")), 90, 100);
        Assert.True(await dc.StringSetAsync(K("t"), "v2", null, keepTtl: true));
        Assert.InRange((long)await da.ExecuteAsync("PTTL", K("t")), 90_000, 100_000);
        Assert.True(await da.KeyPersistAsync(K("t")));
        Assert.Null(await db.KeyTimeToLiveAsync(K("t")));
        Assert.True(await db.KeyExpireAsync(K("t"), TimeSpan.FromMilliseconds(200)));
        await Eventually.TrueAsync(async () => !await dc.KeyExistsAsync(K("t")), "the key expired", Patience);
        var at = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        Assert.Equal("OK", (string?)await da.ExecuteAsync("SET", K("at"), "v", "EXAT", at));
        Assert.InRange((long)await db.ExecuteAsync("TTL", K("at")), 3500, 3600);
        Assert.Equal("OK", (string?)await db.ExecuteAsync("SET", K("px"), "v", "PX", "100000"));
        Assert.InRange((long)await dc.ExecuteAsync("PTTL", K("px")), 90_000, 100_000);
        Assert.Equal("OK", (string?)await da.ExecuteAsync("SETEX", K("ex"), "50", "v"));
        Assert.InRange((long)await dc.ExecuteAsync("TTL", K("ex")), 40, 50);
        Assert.Equal(1, (long)await dc.ExecuteAsync("PEXPIRE", K("ex"), "100000"));

        var keys = Enumerable.Range(0, 20).Select(i => (RedisKey)K("m" + i)).ToArray();
        Assert.True(await da.StringSetAsync(keys.Select((k, i) => new KeyValuePair<RedisKey, RedisValue>(k, "v" + i)).ToArray()));
        var values = await db.StringGetAsync(keys.Append(K("missing")).ToArray());
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "v" + i), values.Take(20).Select(v => (string)v!));
        Assert.True(values[20].IsNull);
        Assert.Equal(20, await dc.KeyExistsAsync(keys));
        Assert.Equal(3, await dc.KeyDeleteAsync(keys.Take(3).Append(K("missing")).ToArray()));
        Assert.Equal("string", (await db.KeyTypeAsync(keys[5])).ToString().ToLowerInvariant());

        var server = b.GetServer(fixture.Endpoint(1));
        var scanned = server.Keys(pattern: prefix + "m*", pageSize: 7).Select(k => (string)k!).ToHashSet();
        Assert.Equal(keys.Skip(3).Select(k => (string)k!).ToHashSet(), scanned);
        Assert.True(await server.DatabaseSizeAsync() >= 17);
        Assert.Contains("redis_version:", (await server.InfoRawAsync())!);
        Assert.Equal("hi", (string?)await server.EchoAsync("hi"));
        Assert.True((await da.PingAsync()) >= TimeSpan.Zero);
        Assert.Equal("tests", (string?)await da.ExecuteAsync("CLIENT", "GETNAME"));
        Assert.Equal("OK", (string?)await da.ExecuteAsync("SELECT", "0"));
        Assert.True((long)await db.ExecuteAsync("CLIENT", "ID") > 0);
        Assert.True((long)await db.ExecuteAsync("COMMAND", "COUNT") > 30);
        await da.ExecuteAsync("CLIENT", "SETNAME", "renamed");
        Assert.Equal("renamed", (string?)await da.ExecuteAsync("CLIENT", "GETNAME"));
        var hello = (RedisResult[])(await db.ExecuteAsync("HELLO", "2"))!;
        Assert.Contains("proto", hello.Select(r => r.ToString()));
        Assert.Equal(RedisProtocol.Resp3, c.GetServer(fixture.Endpoint(2)).Protocol);

        var unknown = await Assert.ThrowsAsync<RedisServerException>(() => da.ExecuteAsync("FOO", "x"));
        Assert.StartsWith("ERR unknown command 'FOO'", unknown.Message);
    }

    [Fact]
    public async Task Flushall_empties_the_whole_cluster()
    {
        await using var a = await ConnectAsync(0);
        var db = a.GetDatabase();
        await db.StringSetAsync("flush:a", "1");
        await db.StringSetAsync("flush:b", "2");
        await a.GetServer(fixture.Endpoint(0)).FlushAllDatabasesAsync();
        Assert.Equal(0, await a.GetServer(fixture.Endpoint(0)).DatabaseSizeAsync());
        await using var c = await ConnectAsync(2);
        Assert.False(await c.GetDatabase().KeyExistsAsync("flush:a"));
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_order()
    {
        using var socket = await OpenAsync(1);
        var key = "pipe:" + Guid.NewGuid().ToString("N");
        var request = new StringBuilder();
        for (var i = 0; i < 500; i++)
            request.Append($"*2\r\n$4\r\nINCR\r\n${key.Length}\r\n{key}\r\n");
        request.Append($"*2\r\n$3\r\nGET\r\n${key.Length}\r\n{key}\r\n");
        await socket.SendAsync(Encoding.ASCII.GetBytes(request.ToString()));
        var expected = string.Concat(Enumerable.Range(1, 500).Select(i => $":{i}\r\n")) + "$3\r\n500\r\n";
        Assert.Equal(expected, await ReadAsync(socket, expected.Length));

        // StackExchange.Redis pipelines concurrent calls on one connection: results still match requests.
        await using var a = await ConnectAsync(2);
        var db = a.GetDatabase();
        var counter = "pipe2:" + Guid.NewGuid().ToString("N");
        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => db.StringIncrementAsync(counter)));
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), results);
    }

    [Fact]
    public async Task Connections_hitting_one_partition_on_their_node_at_once_get_one_command_at_a_time_in_each_ones_order()
    {
        const int Connections = 8;
        const int PerConnection = 300;
        var node = fixture.Cluster.Nodes[0].Node;
        // A key whose partition serves on node 0, so its requests may run on the connections' own threads.
        var key = Enumerable.Range(0, 10_000).Select(i => $"inline:{Guid.NewGuid():N}")
            .First(k => node.LocalPartitions.Find(KeyHasher.PartitionOf(k, node.Settings.Partitions)) is not null);
        var callerRunsBefore = node.Metrics.PartitionRuns().Caller;
        var request = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"*2\r\n$4\r\nINCR\r\n${key.Length}\r\n{key}\r\n", PerConnection)));
        var sockets = await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => OpenAsync(0)));
        try
        {
            // Each connection sends its burst in pieces, so some requests find the partition idle and some busy.
            var answers = await Task.WhenAll(sockets.Select(async socket =>
            {
                for (var offset = 0; offset < request.Length; offset += 1000)
                    await socket.SendAsync(request.AsMemory(offset, Math.Min(1000, request.Length - offset)));
                var text = await RawSocketLines(socket, PerConnection);
                return text.Select(line => long.Parse(line[1..])).ToArray();
            }));
            foreach (var answer in answers)
                Assert.True(answer.Zip(answer.Skip(1)).All(pair => pair.Item1 < pair.Item2), "a connection's INCRs were answered out of order");
            // Every increment applied once and alone: together the answers are exactly 1..N.
            Assert.Equal(Enumerable.Range(1, Connections * PerConnection).Select(i => (long)i), answers.SelectMany(a => a).Order());
            Assert.True(node.Metrics.PartitionRuns().Caller > callerRunsBefore, "no request ran on a connection's thread");
        }
        finally
        {
            foreach (var socket in sockets)
                socket.Dispose();
        }
    }

    [Fact]
    public async Task A_client_that_reads_nothing_until_it_has_sent_everything_gets_every_reply_in_order()
    {
        // 24 MB of replies, far more than the socket buffers hold, and more replies than a connection may
        // owe: the node's sends wait for the client to read, and it stops reading the client meanwhile.
        const int Gets = 384;
        const int Pings = 5000;
        using var socket = await OpenAsync(0);
        var key = "big:" + Guid.NewGuid().ToString("N");
        var value = string.Concat(Enumerable.Range(0, 64 * 1024).Select(i => (char)('a' + i % 26)));
        await socket.SendAsync(Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n${value.Length}\r\n{value}\r\n"));
        Assert.Equal("+OK\r\n", await ReadAsync(socket, 5));
        var get = $"*2\r\n$3\r\nGET\r\n${key.Length}\r\n{key}\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(get, Gets)) + string.Concat(Enumerable.Repeat("PING\r\n", Pings))));
        var bulk = $"${value.Length}\r\n{value}\r\n";
        var expected = string.Concat(Enumerable.Repeat(bulk, Gets)) + string.Concat(Enumerable.Repeat("+PONG\r\n", Pings));
        var received = await ReadAsync(socket, expected.Length);
        Assert.Equal(expected.Length, received.Length);
        Assert.True(expected == received, "the replies differ from the requests' answers in order");
        Assert.Equal("+PONG\r\n", await RoundTrip(socket, "PING\r\n", 7));
    }

    [Fact]
    public async Task A_command_spanning_partitions_sees_the_writes_pipelined_before_it()
    {
        using var socket = await OpenAsync(2);
        var prefix = "span:" + Guid.NewGuid().ToString("N")[..8] + ":";
        var keys = Enumerable.Range(0, 40).Select(i => prefix + i).ToArray();
        // One write: SETs for partitions on every node (some answered later, from other nodes), then MGET.
        var request = new StringBuilder();
        foreach (var key in keys)
            request.Append($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n${key.Length}\r\n{key}\r\n");
        request.Append($"*{keys.Length + 1}\r\n$4\r\nMGET\r\n");
        foreach (var key in keys)
            request.Append($"${key.Length}\r\n{key}\r\n");
        request.Append("PING\r\n");
        await socket.SendAsync(Encoding.ASCII.GetBytes(request.ToString()));
        var expected = string.Concat(Enumerable.Repeat("+OK\r\n", keys.Length)) + $"*{keys.Length}\r\n" +
            string.Concat(keys.Select(k => $"${k.Length}\r\n{k}\r\n")) + "+PONG\r\n";
        Assert.Equal(expected, await ReadAsync(socket, expected.Length));
    }

    private static async Task<string> RoundTrip(Socket socket, string request, int length)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        return await ReadAsync(socket, length);
    }

    private static async Task<string[]> RawSocketLines(Socket socket, int count)
    {
        var text = new StringBuilder();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(Patience);
        while (text.ToString().Count(c => c == '\n') < count)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
                break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return text.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    [Theory]
    [InlineData("*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n")]
    [InlineData("*2000000000\r\n", "-ERR Protocol error: invalid multibulk length\r\n")]
    [InlineData("*1\r\n$99999999999\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    [InlineData("*1\r\n+PING\r\n", "-ERR Protocol error: expected '$', got '+'\r\n")]
    public async Task Malformed_input_gets_an_error_and_a_closed_connection_and_harms_nobody(string input, string reply)
    {
        using var bystander = await OpenAsync(0);
        using var socket = await OpenAsync(0);
        await socket.SendAsync(Encoding.ASCII.GetBytes(input));
        Assert.Equal(reply, await ReadAsync(socket, reply.Length));
        Assert.Equal(0, await socket.ReceiveAsync(new byte[16].AsMemory()).AsTask().WaitAsync(Patience));

        await bystander.SendAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray());
        Assert.Equal("+PONG\r\n", await ReadAsync(bystander, 7));
    }

    [Fact]
    public async Task A_half_written_request_is_dropped_when_the_client_goes_away()
    {
        var key = "half:" + Guid.NewGuid().ToString("N");
        using (var socket = await OpenAsync(2))
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n$10\r\nabc"));
            socket.Shutdown(SocketShutdown.Both);
        }
        await using var a = await ConnectAsync(2);
        Assert.False(await a.GetDatabase().KeyExistsAsync(key));
        Assert.True(await a.GetDatabase().StringSetAsync(key, "whole"));
        Assert.Equal("whole", (string?)await a.GetDatabase().StringGetAsync(key));
    }

    [Fact]
    public async Task Inline_commands_and_quit_work_like_telnet()
    {
        using var socket = await OpenAsync(1);
        await socket.SendAsync("PING\r\nECHO hi\r\nQUIT\r\n"u8.ToArray());
        const string expected = "+PONG\r\n$2\r\nhi\r\n+OK\r\n";
        Assert.Equal(expected, await ReadAsync(socket, expected.Length));
        Assert.Equal(0, await socket.ReceiveAsync(new byte[16].AsMemory()).AsTask().WaitAsync(Patience));
    }

    private Task<Socket> OpenAsync(int node) => RawSocket.OpenAsync(fixture.Servers[node].Port);

    private static Task<string> ReadAsync(Socket socket, int length) => RawSocket.ReadAsync(socket, length, Patience);
}
