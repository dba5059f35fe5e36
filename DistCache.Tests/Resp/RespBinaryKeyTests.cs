using System.Net.Sockets;
using System.Text;
using DistCache.Protocol;
using DistCache.Tests.Support;
using DistCache.Wire;
using StackExchange.Redis;

namespace DistCache.Tests.Resp;

/// <summary>Issue 27: keys are byte strings through the Redis endpoint of a 3-node cluster, as a client
/// that sends byte[] keys (raw RESP, StackExchange.Redis's RedisKey) sees them. Before, keys were decoded
/// as UTF-8, so every invalid sequence became U+FFFD and distinct keys overwrote each other.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RespBinaryKeyTests(RespClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly byte[] _prefix = Encoding.ASCII.GetBytes("bin" + Guid.NewGuid().ToString("N")[..6] + ":");

    private byte[] K(params byte[] tail) => [.. _prefix, .. tail];

    [Fact]
    public async Task The_issues_sequence_keeps_two_keys_over_raw_resp()
    {
        using var socket = await RawSocket.OpenAsync(fixture.Servers[0].Port);
        var before = await IntegerAsync(socket, "DBSIZE"u8.ToArray());

        await ExpectAsync(socket, "+OK\r\n", "SET"u8.ToArray(), [0xff], "one"u8.ToArray());
        await ExpectAsync(socket, "+OK\r\n", "SET"u8.ToArray(), [0xfe], "two"u8.ToArray());
        await ExpectAsync(socket, "$3\r\none\r\n", "GET"u8.ToArray(), [0xff]);
        await ExpectAsync(socket, "$3\r\ntwo\r\n", "GET"u8.ToArray(), [0xfe]);
        Assert.Equal(before + 2, await IntegerAsync(socket, "DBSIZE"u8.ToArray()));
        // A DEL or an EXPIRE hits only its own key.
        await ExpectAsync(socket, ":1\r\n", "DEL"u8.ToArray(), [0xfe]);
        await ExpectAsync(socket, "$3\r\none\r\n", "GET"u8.ToArray(), [0xff]);
        await ExpectAsync(socket, ":0\r\n", "EXPIRE"u8.ToArray(), [0xfe], "100"u8.ToArray());
        await ExpectAsync(socket, ":-1\r\n", "TTL"u8.ToArray(), [0xff]);
        await ExpectAsync(socket, ":1\r\n", "DEL"u8.ToArray(), [0xff]);
    }

    [Fact]
    public async Task Redis_cli_with_quoted_input_sees_two_keys_and_prints_them_escaped()
    {
        var port = fixture.Servers[1].Port;
        var prefix = Encoding.ASCII.GetString(_prefix);
        // redis-cli's quoted input: "…\xff" is the byte 0xff, as the issue typed it.
        string Quoted(string escape) => $"\"{prefix}{escape}\"";
        Assert.Equal("OK", await RedisCli.OutputAsync(port, null, "--quoted-input", "set", Quoted(@"\xff"), "one"));
        Assert.Equal("OK", await RedisCli.OutputAsync(port, null, "--quoted-input", "set", Quoted(@"\xfe"), "two"));
        Assert.Equal("\"one\"", await RedisCli.OutputAsync(port, null, "--no-raw", "--quoted-input", "get", Quoted(@"\xff")));
        Assert.Equal("\"two\"", await RedisCli.OutputAsync(port, null, "--no-raw", "--quoted-input", "get", Quoted(@"\xfe")));
        Assert.Equal($"1) \"{prefix}\\xff\"", await RedisCli.OutputAsync(port, null, "--no-raw", "--quoted-input", "keys", Quoted(@"\xff")));
    }

    [Fact]
    public async Task Nul_bytes_overlong_encodings_and_one_byte_differences_are_distinct_keys_on_every_node()
    {
        byte[][] keys = [K(0x00), K(0xc0, 0x80), K(0xc0, 0xaf), K((byte)'/'), K(0xef, 0xbf, 0xbd), K(0x80), K((byte)'a', 0x00, (byte)'b'), K((byte)'a', 0x01, (byte)'b')];
        using var a = await RawSocket.OpenAsync(fixture.Servers[0].Port);
        for (var i = 0; i < keys.Length; i++)
            await ExpectAsync(a, "+OK\r\n", "SET"u8.ToArray(), keys[i], Encoding.ASCII.GetBytes("v" + i));
        for (var node = 0; node < 3; node++)
        {
            using var socket = await RawSocket.OpenAsync(fixture.Servers[node].Port);
            for (var i = 0; i < keys.Length; i++)
                await ExpectAsync(socket, $"$2\r\nv{i}\r\n", "GET"u8.ToArray(), keys[i]);
        }
        // RENAME and COPY move the bytes, not a decoded text (the keys need not share a slot here:
        // a cross-partition pair gets CROSSSLOT, and then nothing may have changed).
        await ExpectAsync(a, "$2\r\nv1\r\n", "GET"u8.ToArray(), keys[1]);
        await ExpectAsync(a, ":1\r\n", "EXISTS"u8.ToArray(), keys[0]);
        await ExpectAsync(a, $":{keys.Length}\r\n", ["EXISTS"u8.ToArray(), .. keys]);
        await ExpectAsync(a, $":{keys.Length}\r\n", ["DEL"u8.ToArray(), .. keys]);
    }

    [Fact]
    public async Task Rename_and_copy_move_a_binary_key_to_a_binary_key()
    {
        // RENAME and COPY need both keys in one slot: a binary hash tag puts them there.
        var source = K((byte)'{', 0xfe, 0x00, (byte)'}', 0x01);
        var target = K((byte)'{', 0xfe, 0x00, (byte)'}', 0xff);
        Assert.Equal(DistCache.Wire.KeySlot.Of(new CacheKey(source)), DistCache.Wire.KeySlot.Of(new CacheKey(target)));
        using var socket = await RawSocket.OpenAsync(fixture.Servers[2].Port);
        await ExpectAsync(socket, "+OK\r\n", "SET"u8.ToArray(), source, "moved"u8.ToArray());
        await ExpectAsync(socket, "+OK\r\n", "RENAME"u8.ToArray(), source, target);
        await ExpectAsync(socket, ":0\r\n", "EXISTS"u8.ToArray(), source);
        await ExpectAsync(socket, "$5\r\nmoved\r\n", "GET"u8.ToArray(), target);
        await ExpectAsync(socket, ":1\r\n", "COPY"u8.ToArray(), target, source);
        await ExpectAsync(socket, "$5\r\nmoved\r\n", "GET"u8.ToArray(), source);
        await ExpectAsync(socket, ":2\r\n", "DEL"u8.ToArray(), source, target);
    }

    [Fact]
    public async Task Keys_and_scan_match_and_return_the_raw_bytes()
    {
        using var socket = await RawSocket.OpenAsync(fixture.Servers[1].Port);
        await ExpectAsync(socket, "+OK\r\n", "SET"u8.ToArray(), K(0xff, 0x01), "x"u8.ToArray());
        await ExpectAsync(socket, "+OK\r\n", "SET"u8.ToArray(), K(0xfe, 0x01), "x"u8.ToArray());
        await ExpectAsync(socket, "+OK\r\n", "SET"u8.ToArray(), K((byte)'t'), "x"u8.ToArray());
        // ? is one byte, as in Redis; a class matches a byte range.
        var pattern = K((byte)'[', 0xff, (byte)']', (byte)'?');
        await ExpectAsync(socket, Bulks([K(0xff, 0x01)]), "KEYS"u8.ToArray(), pattern);
        await ExpectAsync(socket, Bulks([K(0xfe, 0x01)]), "KEYS"u8.ToArray(), K((byte)'[', 0xf0, (byte)'-', 0xfe, (byte)']', (byte)'*'));

        await using var redis = await ConnectAsync(2);
        var scanned = new List<byte[]>();
        await foreach (var key in redis.GetServer(fixture.Endpoint(2)).KeysAsync(pattern: (RedisValue)K((byte)'*'), pageSize: 7))
            scanned.Add((byte[])key!);
        Assert.Equal(new[] { K(0xfe, 0x01), K(0xff, 0x01), K((byte)'t') }.Select(Convert.ToHexString).Order(), scanned.Select(Convert.ToHexString).Order());
    }

    [Fact]
    public async Task Stackexchange_redis_byte_keys_write_on_one_node_and_read_on_the_others()
    {
        await using var a = await ConnectAsync(0);
        await using var b = await ConnectAsync(1, RedisProtocol.Resp3);
        await using var c = await ConnectAsync(2);
        var (da, db, dc) = (a.GetDatabase(), b.GetDatabase(), c.GetDatabase());
        RedisKey ff = K(0xff), fe = K(0xfe);

        Assert.True(await da.StringSetAsync(ff, "one"));
        Assert.True(await db.StringSetAsync(fe, "two"));
        Assert.Equal("one", (string?)await dc.StringGetAsync(ff));
        Assert.Equal("two", (string?)await da.StringGetAsync(fe));
        Assert.True(await dc.KeyExpireAsync(fe, TimeSpan.FromMinutes(5)));
        Assert.Null(await db.KeyTimeToLiveAsync(ff));
        Assert.Equal(2, await db.StringIncrementAsync(K(0xfd), 2));
        Assert.Equal(3, await dc.StringIncrementAsync(K(0xfd)));
        Assert.True(await dc.KeyDeleteAsync(fe));
        Assert.Equal("one", (string?)await db.StringGetAsync(ff));
        Assert.Equal(2, await da.KeyDeleteAsync([ff, K(0xfd)]));
    }

    [Fact]
    public async Task Random_binary_keys_all_read_back_and_scan_lists_each_once()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var keys = new Dictionary<string, byte[]>();
        while (keys.Count < 400)
        {
            var key = K(Enumerable.Range(0, random.Next(1, 24)).Select(_ => (byte)random.Next(256)).ToArray());
            keys.TryAdd(Convert.ToHexString(key), key);
        }
        await using var redis = await ConnectAsync(0);
        var db = redis.GetDatabase();
        await Task.WhenAll(keys.Select(k => db.StringSetAsync(k.Value, k.Key)));

        await using var other = await ConnectAsync(1);
        var values = await other.GetDatabase().StringGetAsync(keys.Values.Select(k => (RedisKey)k).ToArray());
        Assert.True(keys.Keys.SequenceEqual(values.Select(v => (string?)v)), $"seed {seed}: a key read back another key's value");
        var scanned = new List<string>();
        await foreach (var key in other.GetServer(fixture.Endpoint(1)).KeysAsync(pattern: (RedisValue)K((byte)'*'), pageSize: 100))
            scanned.Add(Convert.ToHexString((byte[])key!));
        Assert.True(keys.Keys.Order().SequenceEqual(scanned.Order()), $"seed {seed}: SCAN lost or repeated a key");
        Assert.Equal(keys.Count, await db.KeyDeleteAsync(keys.Values.Select(k => (RedisKey)k).ToArray()));
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(int node, RedisProtocol protocol = RedisProtocol.Resp2)
    {
        var options = ConfigurationOptions.Parse(fixture.Endpoint(node));
        options.AllowAdmin = true;
        options.Protocol = protocol;
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 30_000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    private static string Bulks(byte[][] items) =>
        $"*{items.Length}\r\n" + string.Concat(items.Select(i => $"${i.Length}\r\n{Encoding.Latin1.GetString(i)}\r\n"));

    // The reply is compared as Latin-1, one char per byte, so binary replies compare byte for byte.
    private static async Task ExpectAsync(Socket socket, string reply, params byte[][] command)
    {
        await socket.SendAsync(Request(command));
        var expected = Encoding.Latin1.GetBytes(reply);
        var buffer = new byte[expected.Length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read)).AsTask().WaitAsync(Patience);
            if (n == 0)
                break;
            read += n;
        }
        Assert.Equal(reply, Encoding.Latin1.GetString(buffer, 0, read));
    }

    private static async Task<long> IntegerAsync(Socket socket, params byte[][] command)
    {
        await socket.SendAsync(Request(command));
        var line = new List<byte>();
        var one = new byte[1];
        while (line.Count < 2 || line[^2] != '\r' || line[^1] != '\n')
        {
            Assert.Equal(1, await socket.ReceiveAsync(one.AsMemory()).AsTask().WaitAsync(Patience));
            line.Add(one[0]);
        }
        var text = Encoding.ASCII.GetString(line.ToArray());
        Assert.StartsWith(":", text);
        return long.Parse(text[1..^2]);
    }

    private static byte[] Request(byte[][] parts)
    {
        var request = new List<byte>(Encoding.ASCII.GetBytes($"*{parts.Length}\r\n"));
        foreach (var part in parts)
        {
            request.AddRange(Encoding.ASCII.GetBytes($"${part.Length}\r\n"));
            request.AddRange(part);
            request.AddRange("\r\n"u8.ToArray());
        }
        return request.ToArray();
    }
}
