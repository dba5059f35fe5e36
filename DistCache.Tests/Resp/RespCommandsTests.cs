using System.Buffers;
using System.Text;
using DistCache.Protocol;
using DistCache.Host.Resp;
using DistCache.Tests.Support;

namespace DistCache.Tests.Resp;

/// <summary>Redis commands onto DistCache's protocol: arity, options, and Redis's error wording.</summary>
public sealed class RespCommandsTests
{
    private readonly ManualClock _clock = new();
    private readonly RespCommands _commands;
    private readonly RespSession _session = new(7);

    public RespCommandsTests() =>
        _commands = new RespCommands(() => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 3, TimeSpan.FromSeconds(9)));

    private RespPlan Map(params string[] words) => _commands.Map(RespArgs.Of(words), _session);

    private string ErrorOf(params string[] words) => Assert.IsType<RespError>(Assert.IsType<Immediate>(Map(words)).Reply).Message;

    private TCommand Single<TCommand>(params string[] words) => Assert.IsType<TCommand>(Assert.Single(Assert.IsType<ClusterCall>(Map(words)).Commands));

    private static string Wire(RespValue value, int protocol)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.Write(buffer, value, protocol);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Set_maps_every_option()
    {
        var set = Single<SetValue>("SET", "k", "v", "EX", "10", "NX", "GET");
        Assert.Equal(new Expiry(ExpiryKind.After, 10_000), set.Expiry);
        Assert.Equal(SetCondition.IfAbsent, set.When);
        Assert.True(set.ReturnPrevious);
        Assert.Equal("v", Encoding.UTF8.GetString(set.Value.Data));
        Assert.Equal(ValueKind.String, set.Value.Kind);

        Assert.Equal(new Expiry(ExpiryKind.After, 1500), Single<SetValue>("set", "k", "v", "px", "1500").Expiry);
        Assert.Equal(Expiry.Keep, Single<SetValue>("SET", "k", "v", "XX", "KEEPTTL").Expiry);
        Assert.Equal(Expiry.Clear, Single<SetValue>("SET", "k", "v").Expiry);
        var at = _clock.GetUtcNow().ToUnixTimeSeconds() + 100;
        Assert.Equal(Expiry.AtUnixMilliseconds(at * 1000), Single<SetValue>("SET", "k", "v", "EXAT", at.ToString()).Expiry);
        Assert.Equal(Expiry.AtUnixMilliseconds(1234), Single<SetValue>("SET", "k", "v", "PXAT", "1234").Expiry);
    }

    [Theory]
    [InlineData("ERR syntax error", "SET", "k", "v", "NX", "XX")]
    [InlineData("ERR syntax error", "SET", "k", "v", "EX", "10", "PX", "5")]
    [InlineData("ERR syntax error", "SET", "k", "v", "KEEPTTL", "EX", "5")]
    [InlineData("ERR syntax error", "SET", "k", "v", "EX")]
    [InlineData("ERR syntax error", "SET", "k", "v", "FOO")]
    [InlineData("ERR syntax error", "FLUSHDB", "1")]
    [InlineData("ERR syntax error", "FLUSHALL", "now")]
    [InlineData("ERR syntax error", "FLUSHALL", "ASYNC", "SYNC")]
    [InlineData("ERR value is not an integer or out of range", "SET", "k", "v", "EX", "ten")]
    [InlineData("ERR invalid expire time in 'set' command", "SET", "k", "v", "EX", "0")]
    [InlineData("ERR invalid expire time in 'set' command", "SET", "k", "v", "EX", "-3")]
    [InlineData("ERR invalid expire time in 'set' command", "SET", "k", "v", "EX", "9223372036854775807")]
    [InlineData("ERR wrong number of arguments for 'get' command", "GET")]
    [InlineData("ERR wrong number of arguments for 'get' command", "get", "a", "b")]
    [InlineData("ERR wrong number of arguments for 'mset' command", "MSET", "a", "1", "b")]
    [InlineData("ERR value is not an integer or out of range", "INCRBY", "k", "1.5")]
    [InlineData("ERR value is not an integer or out of range", "INCRBY", "k", "+1")]
    [InlineData("ERR value is not an integer or out of range", "INCRBY", "k", "99999999999999999999")]
    [InlineData("ERR decrement would overflow", "DECRBY", "k", "-9223372036854775808")]
    [InlineData("ERR DB index is out of range", "SELECT", "1")]
    [InlineData("NOPROTO unsupported protocol version", "HELLO", "4")]
    [InlineData("ERR unknown command 'FOO', with args beginning with: 'a' 'b' ", "FOO", "a", "b")]
    [InlineData("ERR Client names cannot contain spaces, newlines or special characters.", "CLIENT", "SETNAME", "a b")]
    public void Bad_commands_get_redis_wording(string message, params string[] words) => Assert.Equal(message, ErrorOf(words));

    [Fact]
    public void Getex_and_the_absolute_expires_map_onto_one_expiry_type()
    {
        Assert.Equal(new GetAndExpire("k", Expiry.Keep), Single<GetAndExpire>("GETEX", "k"));
        Assert.Equal(new GetAndExpire("k", Expiry.Clear), Single<GetAndExpire>("getex", "k", "persist"));
        Assert.Equal(new GetAndExpire("k", new Expiry(ExpiryKind.After, 5000)), Single<GetAndExpire>("GETEX", "k", "EX", "5"));
        Assert.Equal(new GetAndExpire("k", Expiry.AtUnixMilliseconds(1234)), Single<GetAndExpire>("GETEX", "k", "PXAT", "1234"));
        Assert.Equal("ERR invalid expire time in 'getex' command", ErrorOf("GETEX", "k", "EX", "0"));
        Assert.Equal("ERR syntax error", ErrorOf("GETEX", "k", "EX"));
        Assert.Equal(new ExpireKey("k", Expiry.AtUnixMilliseconds(7000)), Single<ExpireKey>("EXPIREAT", "k", "7"));
        Assert.Equal(new ExpireKey("k", Expiry.AtUnixMilliseconds(7)), Single<ExpireKey>("PEXPIREAT", "k", "7"));
    }

    [Fact]
    public void Commands_map_onto_the_protocol()
    {
        Assert.Equal(new IncrementBy("n", -5), Single<IncrementBy>("DECRBY", "n", "5"));
        Assert.Equal(new IncrementBy("n", 1), Single<IncrementBy>("INCR", "n"));
        Assert.Equal(new Expiry(ExpiryKind.After, 30_000), Single<ExpireKey>("EXPIRE", "k", "30").Expiry);
        Assert.Equal(new Expiry(ExpiryKind.After, 30), Single<ExpireKey>("PEXPIRE", "k", "30").Expiry);
        Assert.Equal(["a", "b"], Single<MultiGet>("MGET", "a", "b").Keys);
        Assert.Equal(2, Single<MultiSet>("MSET", "a", "1", "b", "2").Entries.Length);
        Assert.Equal(3, Assert.IsType<ClusterCall>(Map("DEL", "a", "b", "c")).Commands.Length);
        Assert.True(Assert.IsType<ClusterCall>(Map("DBSIZE")).AfterEarlierReplies);
        foreach (var flush in new[] { Map("FLUSHALL"), Map("FLUSHDB", "async"), Map("FLUSHALL", "SYNC") })
            Assert.IsType<FlushAll>(Assert.IsType<ClusterCall>(flush).Commands[0]);
        Assert.False(Assert.IsType<ClusterCall>(Map("GET", "k")).AfterEarlierReplies);
        var binary = Assert.IsType<SetValue>(Assert.IsType<ClusterCall>(_commands.Map(RespArgs.Of("SET"u8.ToArray(), "k"u8.ToArray(), [0xff, 0xfe]), _session)).Commands[0]);
        Assert.Equal(ValueKind.Bytes, binary.Value.Kind);
    }

    [Fact]
    public void Replies_become_redis_replies()
    {
        var get = Assert.IsType<ClusterCall>(Map("GET", "k"));
        Assert.Equal(RespValue.Null, get.Answer([new Found(null)]));
        Assert.Equal("$2\r\n42\r\n", Wire(get.Answer([new Found(new CacheValue(ValueKind.Int64, BitConverter.GetBytes(42L)))]), 2));
        var set = Assert.IsType<ClusterCall>(Map("SET", "k", "v", "NX"));
        Assert.Equal(RespValue.Null, set.Answer([new Written(false)]));
        Assert.Equal(RespValue.Ok, set.Answer([new Written(true)]));
        var del = Assert.IsType<ClusterCall>(Map("DEL", "a", "b", "c"));
        Assert.Equal(new RespInteger(2), del.Answer([new Deleted(true), new Deleted(false), new Deleted(true)]));
        var ttl = Assert.IsType<ClusterCall>(Map("TTL", "k"));
        Assert.Equal(new RespInteger(3), ttl.Answer([new CounterValue(2501)]));
        Assert.Equal(new RespInteger(-2), ttl.Answer([new CounterValue(-2)]));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            Wire(RespCommands.ErrorFor(new Rejected(CacheErrorCode.WrongType)), 2));
        Assert.Equal("-ERR value is not an integer or out of range\r\n",
            Wire(RespCommands.ErrorFor(new Rejected(CacheErrorCode.NotAnInteger)), 2));
        Assert.Equal("-ERR key is 2000 bytes, over the limit of 1024 bytes (distcache.max-key-bytes)\r\n",
            Wire(RespCommands.ErrorFor(new Rejected(CacheErrorCode.KeyTooLong, 2000, 1024)), 2));
    }

    [Fact]
    public void Hello_switches_the_protocol_and_names_the_client()
    {
        var hello = Assert.IsType<RespMap>(Assert.IsType<Immediate>(Map("HELLO", "3", "AUTH", "default", "x", "SETNAME", "app")).Reply);
        Assert.Equal(3, _session.Protocol);
        Assert.Equal("app", _session.Name);
        Assert.Contains(hello.Entries, e => e.Value is RespInteger { Value: 3 });
        Assert.Equal("$3\r\napp\r\n", Wire(Assert.IsType<Immediate>(Map("CLIENT", "GETNAME")).Reply, 3));
        Assert.Equal(new RespInteger(7), Assert.IsType<Immediate>(Map("CLIENT", "ID")).Reply);
        Assert.Equal("_\r\n", Wire(RespValue.Null, 3));
        Assert.Equal("$-1\r\n", Wire(RespValue.Null, 2));
        Assert.Equal("%1\r\n$1\r\na\r\n:1\r\n", Wire(new RespMap([new(RespValue.Bulk("a"), new RespInteger(1))]), 3));
        Assert.Equal("*2\r\n$1\r\na\r\n:1\r\n", Wire(new RespMap([new(RespValue.Bulk("a"), new RespInteger(1))]), 2));
    }

    [Fact]
    public void Scan_cursors_travel_as_numbers_and_unknown_ones_are_refused()
    {
        var scan = Assert.IsType<ClusterCall>(Map("SCAN", "0", "MATCH", "user:*", "COUNT", "50"));
        Assert.Equal(new ScanKeys("0", 50), scan.Commands[0]);
        var page = Assert.IsType<RespArray>(scan.Answer([new KeyPage(["user:1", "order:2", "user:3"], "12:dXNlcjoz")]));
        var cursor = Encoding.UTF8.GetString(Assert.IsType<RespBulk>(page.Items[0]).Data);
        Assert.True(ulong.Parse(cursor) >= 1UL << 32);
        Assert.Equal(["user:1", "user:3"], Assert.IsType<RespArray>(page.Items[1]).Items.Select(i => Encoding.UTF8.GetString(((RespBulk)i).Data)));

        Assert.Equal(new ScanKeys("12:dXNlcjoz", 10), Single<ScanKeys>("SCAN", cursor));
        Assert.Equal(new ScanKeys("5", 10), Single<ScanKeys>("SCAN", "5"));
        Assert.Equal("ERR invalid cursor", ErrorOf("SCAN", "99999999999"));
        Assert.Equal("ERR invalid cursor", ErrorOf("SCAN", "abc"));
    }

    [Theory]
    [InlineData("user:*", "user:42", true)]
    [InlineData("user:*", "order:1", false)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("*", "", true)]
    public void Glob_matches_like_redis(string pattern, string text, bool expected) => Assert.Equal(expected, Glob.Matches(pattern, text));
}
