using System.Diagnostics;
using DistCache.Tests.Support;
using DistCache.Wire;

namespace DistCache.Tests.Resp;

/// <summary>The string, key and expiry commands added for Redis 7 parity, typed into redis-cli against a
/// 3-node cluster: each command through a node that is not the one owning its key, replies and errors as
/// Redis 7 gives them.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RedisCliKeyspaceTests(RespClusterFixture fixture)
{
    // The test cluster's distcache.partitions (Support/TestCluster).
    private const int Partitions = 64;

    private readonly string _prefix = "cli" + Guid.NewGuid().ToString("N")[..6] + ":";

    private string K(string name) => _prefix + name;

    // A key hashing to the same partition as the given one, and one hashing elsewhere.
    private string SamePartitionAs(string key, int skip = 0) =>
        Enumerable.Range(0, 2_000_000).Select(i => K($"p{i}")).Where(k => k != key && DistCache.Wire.KeySlot.Of(k) == DistCache.Wire.KeySlot.Of(key)).Skip(skip).First();

    private string OtherPartitionThan(string key) =>
        Enumerable.Range(0, 100_000).Select(i => K($"q{i}")).First(k => KeyHasher.PartitionOf(k, Partitions) != KeyHasher.PartitionOf(key, Partitions));

    [Fact]
    public async Task Expire_options_expiretime_and_touch_answer_as_redis()
    {
        Assert.Equal("OK", await Cli(0, "SET", K("e"), "v"));
        Assert.Equal("0", await Cli(1, "EXPIRE", K("e"), "100", "XX"));
        Assert.Equal("0", await Cli(2, "EXPIRE", K("e"), "100", "GT"));
        Assert.Equal("-1", await Cli(0, "EXPIRETIME", K("e")));
        Assert.Equal("1", await Cli(1, "EXPIRE", K("e"), "100", "NX"));
        Assert.Equal("0", await Cli(2, "EXPIRE", K("e"), "100", "NX"));
        Assert.Equal("0", await Cli(0, "EXPIRE", K("e"), "50", "GT"));
        Assert.Equal("1", await Cli(1, "EXPIRE", K("e"), "50", "LT"));
        Assert.Equal("1", await Cli(2, "PEXPIRE", K("e"), "80000", "XX", "GT"));
        var expected = DateTimeOffset.UtcNow.AddSeconds(80).ToUnixTimeSeconds();
        Assert.InRange(long.Parse(await Cli(0, "EXPIRETIME", K("e"))), expected - 5, expected + 1);
        Assert.InRange(long.Parse(await Cli(1, "PEXPIRETIME", K("e"))), (expected - 5) * 1000, (expected + 1) * 1000);
        Assert.Equal("1", await Cli(2, "EXPIREAT", K("e"), (expected + 100).ToString(), "GT"));
        Assert.Equal((expected + 100).ToString(), await Cli(0, "EXPIRETIME", K("e")));
        Assert.Equal("-2", await Cli(1, "EXPIRETIME", K("missing")));
        Assert.Equal("-2", await Cli(2, "PEXPIRETIME", K("missing")));

        Assert.Equal("ERR NX and XX, GT or LT options at the same time are not compatible", await Cli(0, "EXPIRE", K("e"), "10", "NX", "XX"));
        Assert.Equal("ERR GT and LT options at the same time are not compatible", await Cli(1, "PEXPIRE", K("e"), "10", "GT", "LT"));
        Assert.Equal("ERR Unsupported option FOO", await Cli(2, "EXPIRE", K("e"), "10", "FOO"));

        // TOUCH over keys spread across partitions (and so nodes) counts those that exist.
        var keys = Enumerable.Range(0, 12).Select(i => K($"t{i}")).ToArray();
        Assert.Equal("OK", await Cli(0, ["MSET", .. keys.Take(9).SelectMany(k => new[] { k, "v" })]));
        Assert.Equal("9", await Cli(1, ["TOUCH", .. keys]));
        Assert.Equal("0", await Cli(2, "TOUCH", K("nothing")));
    }

    [Fact]
    public async Task Getrange_setrange_and_incrbyfloat_answer_as_redis()
    {
        Assert.Equal("OK", await Cli(0, "SET", K("s"), "This is a string"));
        Assert.Equal("This", await Cli(1, "GETRANGE", K("s"), "0", "3"));
        Assert.Equal("ing", await Cli(2, "GETRANGE", K("s"), "-3", "-1"));
        Assert.Equal("This is a string", await Cli(0, "SUBSTR", K("s"), "0", "-1"));
        Assert.Equal("string", await Cli(1, "GETRANGE", K("s"), "10", "100"));
        Assert.Equal("", await Cli(2, "GETRANGE", K("missing"), "0", "-1"));

        Assert.Equal("OK", await Cli(0, "SET", K("h"), "Hello World", "EX", "1000"));
        Assert.Equal("11", await Cli(1, "SETRANGE", K("h"), "6", "Redis"));
        Assert.Equal("Hello Redis", await Cli(2, "GET", K("h")));
        Assert.InRange(long.Parse(await Cli(0, "TTL", K("h"))), 990, 1000);
        Assert.Equal("11", await Cli(1, "SETRANGE", K("pad"), "6", "Redis"));
        Assert.Equal("\"\\x00\\x00\\x00\\x00\\x00\\x00Redis\"", await Cli(2, "--no-raw", "GET", K("pad")));
        Assert.Equal("0", await Cli(0, "SETRANGE", K("empty"), "10", ""));
        Assert.Equal("0", await Cli(1, "EXISTS", K("empty")));
        Assert.Equal("ERR offset is out of range", await Cli(2, "SETRANGE", K("h"), "-1", "x"));
        Assert.Equal("ERR string exceeds maximum allowed size (proto-max-bulk-len)", await Cli(0, "SETRANGE", K("h"), "536870911", "xy"));

        Assert.Equal("OK", await Cli(1, "SET", K("f"), "10.50"));
        Assert.Equal("10.6", await Cli(2, "INCRBYFLOAT", K("f"), "0.1"));
        Assert.Equal("5.6", await Cli(0, "INCRBYFLOAT", K("f"), "-5"));
        Assert.Equal("OK", await Cli(1, "SET", K("f"), "5.0e3"));
        Assert.Equal("5200", await Cli(2, "INCRBYFLOAT", K("f"), "2.0e2"));
        Assert.Equal("5200", await Cli(0, "GET", K("f")));
        Assert.Equal("ERR value is not a valid float", await Cli(1, "INCRBYFLOAT", K("s"), "1"));
        Assert.Equal("ERR value is not a valid float", await Cli(2, "INCRBYFLOAT", K("f"), "one"));
        Assert.Equal("ERR increment would produce NaN or Infinity", await Cli(0, "INCRBYFLOAT", K("f"), "inf"));
    }

    [Fact]
    public async Task Msetnx_rename_and_copy_are_atomic_in_one_partition_and_refused_across_partitions()
    {
        var a = K("a");
        var b = SamePartitionAs(a);
        var c = OtherPartitionThan(a);
        Assert.Equal("1", await Cli(0, "MSETNX", a, "1", b, "2"));
        Assert.Equal("0", await Cli(1, "MSETNX", b, "x", a, "y"));
        Assert.Equal("1\n2", await Cli(2, "MGET", a, b));
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", await Cli(0, "MSETNX", a, "1", c, "2"));
        Assert.Equal("0", await Cli(1, "EXISTS", c));

        Assert.Equal("0", await Cli(2, "RENAMENX", a, b));
        Assert.Equal("1", await Cli(0, "EXPIRE", a, "1000"));
        Assert.Equal("OK", await Cli(1, "RENAME", a, b));
        Assert.Equal("0", await Cli(2, "EXISTS", a));
        Assert.Equal("1", await Cli(0, "GET", b));
        Assert.InRange(long.Parse(await Cli(1, "TTL", b)), 990, 1000);
        Assert.Equal("ERR no such key", await Cli(2, "RENAME", a, b));
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", await Cli(0, "RENAME", b, c));
        Assert.Equal("1", await Cli(1, "RENAMENX", b, a));

        Assert.Equal("1", await Cli(2, "COPY", a, b));
        Assert.Equal("0", await Cli(0, "COPY", a, b));
        Assert.Equal("OK", await Cli(1, "SET", a, "new"));
        Assert.Equal("1", await Cli(2, "COPY", a, b, "DB", "0", "REPLACE"));
        Assert.Equal("new", await Cli(0, "GET", b));
        Assert.Equal("ERR source and destination objects are the same", await Cli(1, "COPY", a, a));
        Assert.Equal("ERR DB index is out of range", await Cli(2, "COPY", a, b, "DB", "3"));
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", await Cli(0, "COPY", a, c));
    }

    [Fact]
    public async Task Keys_lists_matching_keys_from_every_node()
    {
        var keys = Enumerable.Range(0, 30).Select(i => K($"k:{i}")).ToArray();
        Assert.Equal("OK", await Cli(0, ["MSET", .. keys.SelectMany(k => new[] { k, "v" }), K("other"), "v"]));
        var listed = (await Cli(1, "KEYS", K("k:*"))).Split('\n').Order(StringComparer.Ordinal);
        Assert.Equal(keys.Order(StringComparer.Ordinal), listed);
        Assert.Equal(K("k:7"), await Cli(2, "KEYS", K("k:[7]")));
        Assert.Equal("", await Cli(0, "KEYS", K("nothing*")));
        Assert.Equal(31, (await Cli(2, "KEYS", _prefix + "*")).Split('\n').Length);
        Assert.Equal("ERR wrong number of arguments for 'keys' command", await Cli(1, "KEYS"));
    }

    [Fact]
    public async Task Lcs_object_and_randomkey_answer_as_redis()
    {
        var a = K("lcs1");
        var b = OtherPartitionThan(a);
        Assert.Equal("OK", await Cli(0, "MSET", a, "ohmytext"));
        Assert.Equal("OK", await Cli(1, "SET", b, "mynewtext"));
        Assert.Equal("mytext", await Cli(2, "LCS", a, b));
        Assert.Equal("6", await Cli(0, "LCS", a, b, "LEN"));
        Assert.Equal("matches\n4\n7\n5\n8\n2\n3\n0\n1\nlen\n6", await Cli(1, "LCS", a, b, "IDX"));
        Assert.Equal("matches\n4\n7\n5\n8\n4\nlen\n6", await Cli(2, "LCS", a, b, "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
        Assert.Equal("ERR If you want both the length and indexes, please just use IDX.", await Cli(0, "LCS", a, b, "LEN", "IDX"));

        Assert.Equal("OK", await Cli(1, "SET", K("int"), "12345"));
        Assert.Equal("int", await Cli(2, "OBJECT", "ENCODING", K("int")));
        Assert.Equal("embstr", await Cli(0, "OBJECT", "ENCODING", a));
        Assert.Equal("", await Cli(1, "OBJECT", "ENCODING", K("missing")));
        Assert.Equal("1", await Cli(2, "OBJECT", "REFCOUNT", a));
        Assert.StartsWith("ERR An LFU maxmemory policy is not selected", await Cli(0, "OBJECT", "FREQ", a));
        Assert.StartsWith("OBJECT <subcommand>", await Cli(1, "OBJECT", "HELP"));

        var random = await Cli(2, "RANDOMKEY");
        Assert.Equal("1", await Cli(0, "EXISTS", random));
    }

    [Fact]
    public async Task Sorted_set_commands_answer_as_redis_and_a_store_across_partitions_is_crossslot()
    {
        var z = K("z");
        Assert.Equal("3", await Cli(0, "ZADD", z, "1", "a", "2.5", "b", "-inf", "c"));
        Assert.Equal("3.5", await Cli(1, "ZINCRBY", z, "1", "b"));
        Assert.Equal("c\n-inf\na\n1\nb\n3.5", await Cli(2, "ZRANGE", z, "0", "-1", "WITHSCORES"));
        Assert.Equal("b\na", await Cli(0, "ZRANGE", z, "+inf", "(0", "BYSCORE", "REV"));
        Assert.Equal("1", await Cli(1, "ZRANK", z, "a"));
        Assert.Equal("zset", await Cli(2, "TYPE", z));
        Assert.Equal("ERR value is not a valid float", await Cli(0, "ZADD", z, "x", "a"));
        var near = SamePartitionAs(z);
        Assert.Equal("2", await Cli(1, "ZRANGESTORE", near, z, "0", "1"));
        Assert.Equal("c\na", await Cli(2, "ZINTER", "2", z, near));
        var far = OtherPartitionThan(z);
        Assert.Equal(3, (await Cli(0, "ZUNION", "2", z, far)).Split('\n').Length);
        Assert.StartsWith("CROSSSLOT", await Cli(1, "ZUNIONSTORE", near, "2", z, far));
        Assert.Equal("c\n-inf", await Cli(2, "ZPOPMIN", z));
        Assert.Equal("2", await Cli(0, "ZREM", z, "a", "b"));
        Assert.Equal("0", await Cli(1, "EXISTS", z));
        Assert.Equal("1", await Cli(2, "DEL", near));
    }

    [Fact]
    public async Task Hash_commands_and_the_key_commands_on_a_hash_answer_as_redis()
    {
        var h = K("h");
        Assert.Equal("2", await Cli(0, "HSET", h, "name", "Ada", "born", "1815"));
        Assert.Equal("Ada", await Cli(1, "HGET", h, "name"));
        Assert.Equal("name\nAda\nborn\n1815", await Cli(2, "HGETALL", h));
        Assert.Equal("1816", await Cli(0, "HINCRBY", h, "born", "1"));
        Assert.Equal("0.5", await Cli(1, "HINCRBYFLOAT", h, "x", "0.5"));
        Assert.Equal("ERR hash value is not a float", await Cli(2, "HINCRBYFLOAT", h, "name", "1"));
        Assert.Equal("ERR increment or decrement would overflow", await Cli(0, "HINCRBY", h, "born", long.MaxValue.ToString()));
        Assert.Equal("hash", await Cli(1, "TYPE", h));
        Assert.Equal("listpack", await Cli(2, "OBJECT", "ENCODING", h));
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", await Cli(0, "GET", h));
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", await Cli(1, "INCR", h));
        Assert.Equal("OK", await Cli(2, "SET", K("s"), "v"));
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", await Cli(0, "HSET", K("s"), "f", "v"));

        // The key commands: a same-partition name for RENAME and COPY, expiry, SCAN … TYPE.
        var other = SamePartitionAs(h);
        Assert.Equal("1", await Cli(1, "COPY", h, other));
        Assert.Equal("3", await Cli(2, "HLEN", other));
        Assert.Equal("1", await Cli(0, "EXPIRE", other, "100"));
        Assert.Equal("1", await Cli(1, "PERSIST", other));
        Assert.Equal("2", await Cli(2, "TOUCH", h, other));
        var scanned = new List<string>();
        var cursor = "0";
        do
        {
            var lines = (await Cli(0, "SCAN", cursor, "MATCH", _prefix + "*", "COUNT", "1000", "TYPE", "hash")).Split('\n');
            cursor = lines[0];
            scanned.AddRange(lines.Skip(1).Where(l => l.Length > 0));
        }
        while (cursor != "0");
        Assert.Equal([h, other], scanned.Order());
        Assert.Equal("1", await Cli(1, "HDEL", h, "name"));
        Assert.Equal("2", await Cli(2, "HDEL", h, "born", "x"));
        Assert.Equal("0", await Cli(0, "EXISTS", h));
        Assert.Equal("1", await Cli(1, "UNLINK", other));
    }

    [Fact]
    public async Task List_commands_answer_as_redis_and_lmove_needs_one_partition()
    {
        var l = K("l");
        Assert.Equal("3", await Cli(0, "RPUSH", l, "a", "b", "c"));
        Assert.Equal("4", await Cli(1, "LPUSH", l, "z"));
        Assert.Equal("z\na\nb\nc", await Cli(2, "LRANGE", l, "0", "-1"));
        Assert.Equal("z", await Cli(0, "LPOP", l));
        Assert.Equal("c\nb", await Cli(1, "RPOP", l, "2"));
        Assert.Equal("ERR value is out of range, must be positive", await Cli(2, "LPOP", l, "-1"));
        Assert.Equal("list", await Cli(0, "TYPE", l));
        Assert.Equal("listpack", await Cli(1, "OBJECT", "ENCODING", l));
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", await Cli(2, "GET", l));
        Assert.Equal("ERR no such key", await Cli(0, "LSET", K("none"), "0", "x"));

        var same = SamePartitionAs(l);
        Assert.Equal("a", await Cli(1, "LMOVE", l, same, "LEFT", "RIGHT"));
        Assert.Equal("0", await Cli(2, "EXISTS", l));
        Assert.Equal(same + "\na", await Cli(0, "LMPOP", "2", l, same, "LEFT"));
        Assert.Equal("1", await Cli(1, "RPUSH", l, "x"));
        var other = OtherPartitionThan(l);
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", await Cli(2, "LMOVE", l, other, "LEFT", "RIGHT"));
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", await Cli(0, "LMPOP", "2", l, other, "LEFT"));
        Assert.Equal("x", await Cli(1, "LINDEX", l, "0"));
    }

    [Fact]
    public async Task Set_commands_answer_as_redis_and_gather_across_partitions()
    {
        var s = K("set");
        Assert.Equal("3", await Cli(0, "SADD", s, "1", "2", "3"));
        Assert.Equal("intset", await Cli(1, "OBJECT", "ENCODING", s));
        Assert.Equal("1", await Cli(2, "SADD", s, "x"));
        Assert.Equal("listpack", await Cli(0, "OBJECT", "ENCODING", s));
        Assert.Equal("set", await Cli(1, "TYPE", s));
        Assert.Equal("4", await Cli(2, "SCARD", s));
        Assert.Equal("1\n0", await Cli(0, "SMISMEMBER", s, "x", "zz"));
        Assert.Equal("ERR value is out of range, must be positive", await Cli(1, "SPOP", s, "-1"));
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", await Cli(2, "GET", s));
        var same = SamePartitionAs(s);
        var other = OtherPartitionThan(s);
        Assert.Equal("2", await Cli(0, "SADD", same, "x", "y"));
        Assert.Equal("2", await Cli(1, "SADD", other, "x", "2"));
        // Reads gather from the partitions; writes to a destination need one partition.
        Assert.Equal("x", await Cli(2, "SINTER", s, same, other));
        Assert.Equal("1", await Cli(0, "SINTERCARD", "3", s, same, other));
        Assert.Equal(["1", "2", "3", "x", "y"], (await Cli(1, "SUNION", s, same, other)).Split('\n').Order());
        Assert.Equal(["1", "3"], (await Cli(2, "SDIFF", s, same, other)).Split('\n').Order());
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", await Cli(0, "SUNIONSTORE", same, s, other));
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", await Cli(1, "SMOVE", s, other, "x"));
        Assert.Equal("1", await Cli(2, "SISMEMBER", s, "x"));
        Assert.Equal("5", await Cli(0, "SUNIONSTORE", same, s, same));
        Assert.Equal("1", await Cli(1, "SMOVE", s, same, "1"));
        Assert.Equal("0", await Cli(2, "SINTERSTORE", same, s, SamePartitionAs(same)));
        Assert.Equal("0", await Cli(0, "EXISTS", same));
        Assert.Equal("3", await Cli(1, "SREM", s, "2", "3", "x"));
        Assert.Equal("0", await Cli(2, "EXISTS", s));
    }

    [Fact]
    public async Task Blocking_pops_wait_for_a_push_first_come_first_and_take_nothing_for_a_client_that_left()
    {
        var q = K("bq");
        var clock = Stopwatch.StartNew();
        Assert.Equal("", await Cli(0, "BLPOP", q, "0.3"));
        Assert.True(clock.ElapsedMilliseconds >= 250, $"BLPOP with a 0.3 s timeout answered after {clock.ElapsedMilliseconds} ms");
        Assert.Equal("ERR timeout is negative", await Cli(1, "BLPOP", q, "-1"));
        Assert.Equal("ERR timeout is not a float or out of range", await Cli(2, "BRPOP", q, "soon"));
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", await Cli(0, "BLPOP", q, OtherPartitionThan(q), "1"));

        // Two callers blocked through two nodes: one push of two elements serves both, the first caller first.
        var first = Cli(1, "BLPOP", q, SamePartitionAs(q), "20");
        await BlockedAsync(1, 1);
        var second = Cli(2, "BRPOP", q, "20");
        await BlockedAsync(2, 1);
        Assert.Equal("2", await Cli(0, "RPUSH", q, "a", "b"));
        Assert.Equal(q + "\na", await first);
        Assert.Equal(q + "\nb", await second);
        Assert.Equal("0", await Cli(0, "EXISTS", q));

        // BLMOVE and BLMPOP wait as well; a push that comes first is taken at once.
        var dst = SamePartitionAs(q);
        var move = Cli(0, "BLMOVE", q, dst, "LEFT", "RIGHT", "20");
        await BlockedAsync(0, 1);
        Assert.Equal("1", await Cli(1, "LPUSH", q, "m"));
        Assert.Equal("m", await move);
        Assert.Equal("m", await Cli(2, "LINDEX", dst, "-1"));
        Assert.Equal("3", await Cli(2, "RPUSH", q, "x", "y", "z"));
        var empty = SamePartitionAs(q, skip: 1);
        Assert.Equal(q + "\nz\ny", await Cli(1, "BLMPOP", "5", "2", empty, q, "RIGHT", "COUNT", "2"));
        Assert.Equal("", await Cli(0, "BRPOPLPUSH", empty, dst, "0.1"));

        // BZPOPMAX waits for a ZADD; BZMPOP takes at once what is there.
        var z = K("bz");
        var popMax = Cli(2, "BZPOPMAX", z, "20");
        await BlockedAsync(2, 1);
        Assert.Equal("2", await Cli(0, "ZADD", z, "1", "a", "2", "b"));
        Assert.Equal(z + "\nb\n2", await popMax);
        Assert.Equal(z + "\na\n1", await Cli(1, "BZMPOP", "1", "1", z, "MIN", "COUNT", "5"));
        Assert.Equal("", await Cli(2, "BZPOPMIN", z, "0.1"));

        // A client that leaves while it waits is forgotten: the next push stays in the list.
        var gone = Process.Start(new ProcessStartInfo(Support.RedisCli.Path, ["-h", "127.0.0.1", "-p", fixture.Servers[2].Port.ToString(), "BLPOP", K("left"), "0"])
        {
            RedirectStandardOutput = true,
        })!;
        try
        {
            await BlockedAsync(2, 1);
        }
        finally
        {
            gone.Kill();
            await gone.WaitForExitAsync();
        }
        await BlockedAsync(2, 0);
        Assert.Equal("1", await Cli(0, "RPUSH", K("left"), "kept"));
        Assert.Equal("kept", await Cli(1, "LINDEX", K("left"), "0"));
    }

    // Until INFO on the node counts this many connections waiting in a blocking command.
    private Task BlockedAsync(int node, int count) => Eventually.TrueAsync(
        async () => (await Cli(node, "INFO", "clients")).Contains($"blocked_clients:{count}"), $"node {node} has {count} blocked client(s)", TimeSpan.FromSeconds(20));

    [Fact]
    public async Task Bit_commands_answer_as_redis()
    {
        Assert.Equal("0", await Cli(0, "SETBIT", K("bits"), "7", "1"));
        Assert.Equal("1", await Cli(1, "SETBIT", K("bits"), "7", "0"));
        Assert.Equal("0", await Cli(2, "SETBIT", K("bits"), "100", "1"));
        Assert.Equal("1", await Cli(0, "GETBIT", K("bits"), "100"));
        Assert.Equal("0", await Cli(1, "GETBIT", K("bits"), "7"));
        Assert.Equal("OK", await Cli(2, "SET", K("foobar"), "foobar"));
        Assert.Equal("26", await Cli(0, "BITCOUNT", K("foobar")));
        Assert.Equal("4", await Cli(1, "BITCOUNT", K("foobar"), "0", "0"));
        Assert.Equal("6", await Cli(2, "BITCOUNT", K("foobar"), "1", "1"));
        Assert.Equal("17", await Cli(0, "BITCOUNT", K("foobar"), "5", "30", "BIT"));
        Assert.Equal("1", await Cli(1, "BITPOS", K("foobar"), "1"));
        Assert.Equal("0", await Cli(2, "BITPOS", K("foobar"), "0"));
        Assert.Equal("-1", await Cli(0, "BITPOS", K("missing"), "1"));
        Assert.Equal("ERR bit offset is not an integer or out of range", await Cli(1, "SETBIT", K("bits"), "-1", "1"));
        Assert.Equal("ERR bit is not an integer or out of range", await Cli(2, "SETBIT", K("bits"), "1", "2"));
        Assert.Equal("ERR The bit argument must be 1 or 0.", await Cli(0, "BITPOS", K("bits"), "2"));
    }

    private Task<string> Cli(int node, params string[] args) => Run(node, null, args);

    private Task<string> Run(int node, string? stdin, string[] args) => Support.RedisCli.OutputAsync(fixture.Servers[node].Port, stdin, args);
}
