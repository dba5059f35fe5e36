using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DistCache.Host.Resp;
using DistCache.Tests.Support;
using DistCache.Wire;

namespace DistCache.Tests.Resp;

/// <summary>Every command of <see cref="RespCommandTable"/>, typed into redis-cli against the nodes of a
/// 3-node cluster in turn: one representative invocation each gives its non-error reply. A row added to
/// the table without a line here fails the test, so the README's "every listed command works through
/// redis-cli" stays checked.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RedisCliSweepTests(RespClusterFixture fixture)
{
    // The test cluster's distcache.partitions (Support/TestCluster).
    private const int Partitions = 64;

    private static readonly Regex ErrorReply = new(@"^(\(error\) )?(ERR|WRONGTYPE|NOAUTH|NOPERM|CROSSSLOT|NOPROTO|WRONGPASS|EXECABORT)\b");

    private readonly string _prefix = "sweep" + Guid.NewGuid().ToString("N")[..6] + ":";

    private string K(string name) => _prefix + name;

    /// <summary>Keys of one slot, by a hash tag (MSETNX, RENAME, RENAMENX and COPY need that).</summary>
    private string[] OnePartition(int count) => Enumerable.Range(0, count).Select(i => K("{m}" + i)).ToArray();

    /// <summary>Command, arguments, and a pattern its reply starts with (redis-cli's plain output: one line
    /// per element). In order: earlier lines create what later ones read.</summary>
    private (string Command, string[] Args, string Reply)[] Sweep()
    {
        var k = K("k");
        var n = K("n");
        var bits = K("bits");
        var same = OnePartition(3);
        // Sorted sets whose STORE commands need one partition, apart from the keys MSETNX and RENAME take.
        var (z, z2, zd) = OnePartition(6) is [_, _, _, var z0, var z1, var z3] ? (z0, z1, z3) : throw new InvalidOperationException();
        // Sets whose SMOVE and STORE commands need one partition, apart from all the above.
        var sets = OnePartition(9)[6..];
        var inAnHour = DateTimeOffset.UtcNow.AddHours(1);
        string S(long value) => value.ToString(CultureInfo.InvariantCulture);
        return
        [
            ("PING", [], "PONG$"),
            ("ECHO", ["hi"], "hi$"),
            ("HELLO", ["3"], "server redis\nversion 7.2.0\nproto 3\n"),
            ("AUTH", ["default", "anything"], "OK$"),
            ("SELECT", ["0"], "OK$"),
            ("QUIT", [], "OK$"),
            ("RESET", [], "RESET$"),
            ("CLIENT", ["ID"], @"\d+$"),
            ("COMMAND", ["INFO", "get"], "get\n2\n"),
            ("SET", [k, "hello"], "OK$"),
            ("GET", [k], "hello$"),
            ("SETNX", [K("nx"), "v"], "1$"),
            ("SETEX", [K("ex"), "100", "v"], "OK$"),
            ("PSETEX", [K("pex"), "100000", "v"], "OK$"),
            ("GETSET", [k, "hello"], "hello$"),
            ("GETDEL", [K("nx")], "v$"),
            ("GETEX", [k, "EX", "100"], "hello$"),
            ("DEL", [K("ex")], "1$"),
            ("UNLINK", [K("pex")], "1$"),
            ("EXISTS", [k], "1$"),
            ("TYPE", [k], "string$"),
            ("INCR", [n], "1$"),
            ("DECR", [n], "0$"),
            ("INCRBY", [n, "5"], "5$"),
            ("DECRBY", [n, "2"], "3$"),
            ("APPEND", [k, "!"], "6$"),
            ("STRLEN", [k], "6$"),
            ("EXPIRE", [k, "100"], "1$"),
            ("PEXPIRE", [k, "100000"], "1$"),
            ("EXPIREAT", [k, S(inAnHour.ToUnixTimeSeconds())], "1$"),
            ("PEXPIREAT", [k, S(inAnHour.ToUnixTimeMilliseconds())], "1$"),
            ("TTL", [k], @"\d+$"),
            ("PTTL", [k], @"\d+$"),
            ("EXPIRETIME", [k], S(inAnHour.ToUnixTimeSeconds()) + "$"),
            ("PEXPIRETIME", [k], S(inAnHour.ToUnixTimeMilliseconds()) + "$"),
            ("PERSIST", [k], "1$"),
            ("MGET", [k, n], "hello!\n3$"),
            ("MSET", [K("a"), "1", K("b"), "2"], "OK$"),
            ("TOUCH", [k, n, K("missing")], "2$"),
            ("GETRANGE", [k, "0", "4"], "hello$"),
            ("SUBSTR", [k, "1", "4"], "ello$"),
            ("SETRANGE", [k, "0", "H"], "6$"),
            ("INCRBYFLOAT", [K("f"), "1.5"], @"1\.5$"),
            ("MSETNX", [same[0], "x", same[1], "y"], "1$"),
            ("RENAME", [same[0], same[2]], "OK$"),
            ("RENAMENX", [same[2], same[0]], "1$"),
            ("COPY", [same[0], same[2]], "1$"),
            ("KEYS", [_prefix + "k*"], Regex.Escape(k) + "$"),
            ("RANDOMKEY", [], ".+"),
            ("SETBIT", [bits, "7", "1"], "0$"),
            ("GETBIT", [bits, "7"], "1$"),
            ("BITCOUNT", [bits], "1$"),
            ("BITPOS", [bits, "1"], "7$"),
            ("LCS", [k, K("a")], "$"),
            ("OBJECT", ["ENCODING", k], "embstr$"),
            ("HSET", [K("h"), "a", "1", "b", "2"], "2$"),
            ("HSETNX", [K("h"), "c", "3"], "1$"),
            ("HMSET", [K("h"), "d", "4"], "OK$"),
            ("HGET", [K("h"), "a"], "1$"),
            ("HMGET", [K("h"), "a", "b"], "1\n2$"),
            ("HEXISTS", [K("h"), "c"], "1$"),
            ("HLEN", [K("h")], "4$"),
            ("HSTRLEN", [K("h"), "a"], "1$"),
            ("HKEYS", [K("h")], "a\nb\nc\nd$"),
            ("HVALS", [K("h")], "1\n2\n3\n4$"),
            ("HGETALL", [K("h")], "a\n1\nb\n2\n"),
            ("HINCRBY", [K("h"), "a", "10"], "11$"),
            ("HINCRBYFLOAT", [K("h"), "b", "0.5"], @"2\.5$"),
            ("HRANDFIELD", [K("h"), "-2"], "[a-d]\n[a-d]$"),
            ("HSCAN", [K("h"), "0", "MATCH", "c*"], "0\nc\n3$"),
            ("HDEL", [K("h"), "d"], "1$"),
            ("SADD", [sets[0], "a", "b", "1"], "3$"),
            ("SREM", [sets[0], "1"], "1$"),
            ("SISMEMBER", [sets[0], "a"], "1$"),
            ("SMISMEMBER", [sets[0], "a", "z"], "1\n0$"),
            ("SCARD", [sets[0]], "2$"),
            ("SMEMBERS", [sets[0]], "[ab]\n[ab]$"),
            ("SRANDMEMBER", [sets[0], "-3"], "[ab]\n[ab]\n[ab]$"),
            ("SMOVE", [sets[0], sets[1], "a"], "1$"),
            ("SUNION", [sets[0], sets[1]], "[ab]\n[ab]$"),
            ("SINTER", [sets[0], sets[0]], "b$"),
            ("SDIFF", [sets[0], sets[1]], "b$"),
            ("SINTERCARD", ["2", sets[0], sets[1]], "0$"),
            ("SINTERSTORE", [sets[2], sets[0], sets[0]], "1$"),
            ("SUNIONSTORE", [sets[2], sets[0], sets[1]], "2$"),
            ("SDIFFSTORE", [sets[2], sets[0], sets[1]], "1$"),
            ("SSCAN", [sets[0], "0"], "0\nb$"),
            ("SPOP", [sets[0]], "b$"),
            ("RPUSH", [K("l"), "a", "b", "c", "b"], "4$"),
            ("LPUSH", [K("l"), "z"], "5$"),
            ("RPUSHX", [K("l"), "y"], "6$"),
            ("LPUSHX", [K("nolist"), "y"], "0$"),
            ("LLEN", [K("l")], "6$"),
            ("LINDEX", [K("l"), "-1"], "y$"),
            ("LSET", [K("l"), "0", "Z"], "OK$"),
            ("LRANGE", [K("l"), "0", "2"], "Z\na\nb$"),
            ("LPOS", [K("l"), "b", "COUNT", "0"], "2\n4$"),
            ("LINSERT", [K("l"), "BEFORE", "c", "x"], "7$"),
            ("LREM", [K("l"), "0", "b"], "2$"),
            ("LTRIM", [K("l"), "0", "3"], "OK$"),
            ("LPOP", [K("l")], "Z$"),
            ("RPOP", [K("l"), "2"], "c\nx$"),
            ("LMOVE", [K("l"), K("l"), "LEFT", "RIGHT"], "a$"),
            ("RPOPLPUSH", [K("l"), K("l")], "a$"),
            ("LMPOP", ["1", K("l"), "LEFT"], ".*l\na$"),
            // The blocking forms on an empty list: each waits its 0.05 s and answers nil (RedisCliKeyspaceTests.Blocking_pops_… has their semantics).
            ("BLPOP", [K("nolist"), "0.05"], "^$"),
            ("BRPOP", [K("nolist"), "0.05"], "^$"),
            ("BLMOVE", [K("nolist"), K("nolist"), "LEFT", "RIGHT", "0.05"], "^$"),
            ("BRPOPLPUSH", [K("nolist"), K("nolist"), "0.05"], "^$"),
            ("BLMPOP", ["0.05", "1", K("nolist"), "LEFT"], "^$"),
            ("BZPOPMIN", [K("nolist"), "0.05"], "^$"),
            ("BZPOPMAX", [K("nolist"), "0.05"], "^$"),
            ("BZMPOP", ["0.05", "1", K("nolist"), "MIN"], "^$"),
            ("ZADD", [z, "1", "a", "2", "b", "3", "c"], "3$"),
            ("ZINCRBY", [z, "0.5", "a"], @"1\.5$"),
            ("ZSCORE", [z, "b"], "2$"),
            ("ZMSCORE", [z, "a", "b"], @"1\.5\n2$"),
            ("ZCARD", [z], "3$"),
            ("ZRANK", [z, "c"], "2$"),
            ("ZREVRANK", [z, "c"], "0$"),
            ("ZCOUNT", [z, "(1.5", "+inf"], "2$"),
            ("ZLEXCOUNT", [z, "-", "+"], "3$"),
            ("ZRANGE", [z, "0", "-1", "WITHSCORES"], @"a\n1\.5\nb\n2\nc\n3$"),
            ("ZRANGESTORE", [z2, z, "0", "1"], "2$"),
            ("ZREVRANGE", [z, "0", "0"], "c$"),
            ("ZRANGEBYSCORE", [z, "2", "3"], "b\nc$"),
            ("ZREVRANGEBYSCORE", [z, "3", "2"], "c\nb$"),
            ("ZRANGEBYLEX", [z, "[a", "[b"], "a\nb$"),
            ("ZREVRANGEBYLEX", [z, "[b", "[a"], "b\na$"),
            ("ZRANDMEMBER", [z, "-2"], "[abc]\n[abc]$"),
            ("ZSCAN", [z, "0", "MATCH", "c*"], "0\nc\n3$"),
            ("ZUNION", ["2", z, z2], "a\nc\nb$"),
            ("ZINTER", ["2", z, z2], "a\nb$"),
            ("ZDIFF", ["2", z, z2], "c$"),
            ("ZINTERCARD", ["2", z, z2], "2$"),
            ("ZUNIONSTORE", [zd, "2", z, z2], "3$"),
            ("ZINTERSTORE", [zd, "2", z, z2], "2$"),
            ("ZDIFFSTORE", [zd, "2", z, z2], "1$"),
            ("ZMPOP", ["2", zd, z, "MIN"], @"\S+\nc\n3$"),
            ("ZPOPMIN", [z], @"a\n1\.5$"),
            ("ZPOPMAX", [z], "c\n3$"),
            ("ZREM", [z2, "a"], "1$"),
            ("ZREMRANGEBYRANK", [z2, "0", "0"], "1$"),
            ("ZREMRANGEBYSCORE", [z, "2", "2"], "1$"),
            ("ZREMRANGEBYLEX", [z, "-", "+"], "0$"),
            ("DBSIZE", [], @"\d+$"),
            ("SCAN", ["0", "COUNT", "5"], @"\d+\n"),
            ("INFO", ["keyspace"], @"# Keyspace\ndb0:keys=\d+,expires=\d+,avg_ttl=0$"),
            ("CONFIG", ["GET", "maxmemory"], "maxmemory\n0$"),
            ("ACL", ["WHOAMI"], "default$"),
            ("WATCH", [k], "OK$"),
            ("UNWATCH", [], "OK$"),
            ("MULTI", [], "OK$"),
            // EXEC and DISCARD end a MULTI typed before them in the same session (see Cli).
            ("EXEC", [], @"OK\nQUEUED\n\S+$"),
            ("DISCARD", [], "OK\nQUEUED\nOK$"),
            ("CLUSTER", ["KEYSLOT", "foo"], "12182$"),
            ("READONLY", [], "OK$"),
            ("READWRITE", [], "OK$"),
            ("ASKING", [], "OK$"),
            ("SUBSCRIBE", [K("ch")], $"subscribe\n{K("ch")}\n1$"),
            ("PSUBSCRIBE", [K("c*")], $"psubscribe\n{Regex.Escape(K("c*"))}\n1$"),
            ("SSUBSCRIBE", [K("sh")], $"ssubscribe\n{K("sh")}\n1$"),
            ("UNSUBSCRIBE", [K("ch")], $"unsubscribe\n{K("ch")}\n0$"),
            ("PUNSUBSCRIBE", [], "punsubscribe\n\n0$"),
            ("SUNSUBSCRIBE", [], "sunsubscribe\n\n0$"),
            ("PUBLISH", [K("ch"), "m"], "0$"),
            ("SPUBLISH", [K("sh"), "m"], "0$"),
            ("PUBSUB", ["NUMSUB", K("ch")], $"{K("ch")}\n0$"),
            ("FLUSHDB", [], "OK$"),
            ("FLUSHALL", [], "OK$"),
        ];
    }

    [Fact]
    public async Task Every_command_of_the_table_answers_through_redis_cli_on_any_node()
    {
        var sweep = Sweep();
        Assert.Equal(RespCommandTable.All.Select(c => c.Name).Order(StringComparer.Ordinal), sweep.Select(s => s.Command).Order(StringComparer.Ordinal));

        var failures = new List<string>();
        for (var i = 0; i < sweep.Length; i++)
        {
            var (command, args, expected) = sweep[i];
            var reply = (await Cli(i % 3, [command, .. args])).Replace("\r", "", StringComparison.Ordinal);
            if (ErrorReply.IsMatch(reply) || !Regex.IsMatch(reply, "^" + expected))
                failures.Add($"node {i % 3}: {command} {string.Join(' ', args)} -> {reply}");
        }
        Assert.True(failures.Count == 0, "not answered as expected:\n" + string.Join('\n', failures));
    }

    // The ports in cluster mode auto: redis-cli without -c is served as by a standalone server.
    // SUBSCRIBE and kin: redis-cli then reads messages until stopped, so it is stopped after the confirmation.
    private Task<string> Cli(int node, string[] args) => args[0] switch
    {
        "EXEC" or "DISCARD" => Support.RedisCli.OutputAsync(fixture.ClusterServers[node].Port, $"MULTI\nGET {K("k")}\n{args[0]}\n"),
        "SUBSCRIBE" or "PSUBSCRIBE" or "SSUBSCRIBE" => Support.RedisCli.FirstLinesAsync(fixture.ClusterServers[node].Port, 3, args),
        _ => Support.RedisCli.OutputAsync(fixture.ClusterServers[node].Port, null, args),
    };
}
