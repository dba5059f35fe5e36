using System.Buffers;
using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Host.Resp;
using DistCache.Protocol;

namespace DistCache.Tests.Resp;

/// <summary>The set commands from a Redis request to the bytes of the reply, RESP2 and RESP3, decided by a
/// <see cref="PartitionState"/> alone (no cluster, no network): arity, options, replies and Redis 7's
/// error texts (compared with redis-server 7).</summary>
public sealed class RespSetCommandsTests
{
    private readonly RespCommands _commands = new(() => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 1, TimeSpan.Zero));
    private readonly RespSession _session = new(1);
    private readonly PartitionState _state = new(new PartitionLimits(1024, 1 << 20));

    private string Run(int protocol, params string[] words)
    {
        var value = _commands.Map(RespArgs.Of(words), _session) switch
        {
            Immediate immediate => immediate.Reply,
            ClusterCall call => Answer(call),
            var other => throw new InvalidOperationException($"{other} is not expected of a set command"),
        };
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.Write(buffer, value, protocol);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private string Run(params string[] words) => Run(2, words);

    private RespValue Answer(ClusterCall call)
    {
        var replies = new ICacheReply[call.Commands.Length];
        for (var i = 0; i < replies.Length; i++)
        {
            var decision = CommandValidator.Validate(call.Commands[i], PartitionLimits.Default) is { } bad ? new Decision(null, bad) : _state.Decide(call.Commands[i]);
            if (decision.Event is not null)
                _state.Apply(decision.Event);
            if (decision.Reply is Rejected rejected)
                return RespCommands.ErrorFor(rejected);
            replies[i] = decision.Reply;
        }
        return call.Answer(replies);
    }

    private const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

    [Fact]
    public void Sadd_srem_sismember_smismember_scard_answer_as_redis()
    {
        Assert.Equal(":2\r\n", Run("SADD", "s", "a", "b", "a"));
        Assert.Equal(":0\r\n", Run("SADD", "s", "b"));
        Assert.Equal(":1\r\n", Run("SISMEMBER", "s", "a"));
        Assert.Equal(":0\r\n", Run("SISMEMBER", "s", "zz"));
        Assert.Equal(":0\r\n", Run("SISMEMBER", "nokey", "a"));
        Assert.Equal("*2\r\n:1\r\n:0\r\n", Run(3, "SMISMEMBER", "s", "a", "z"));
        Assert.Equal(":2\r\n", Run("SCARD", "s"));
        Assert.Equal("+set\r\n", Run("TYPE", "s"));
        Assert.Equal("$8\r\nlistpack\r\n", Run("OBJECT", "ENCODING", "s"));
        Assert.Equal(":1\r\n", Run("SADD", "i", "1"));
        Assert.Equal("$6\r\nintset\r\n", Run("OBJECT", "ENCODING", "i"));
        Assert.Equal(":1\r\n", Run("SREM", "s", "a", "zz"));
        Assert.Equal(":1\r\n", Run("SREM", "s", "b"));
        Assert.Equal(":0\r\n", Run("EXISTS", "s"));
        Assert.Equal(":0\r\n", Run("SCARD", "s"));
        Assert.Equal("-ERR wrong number of arguments for 'sadd' command\r\n", Run("SADD", "s"));
        Assert.Equal("-ERR wrong number of arguments for 'sismember' command\r\n", Run("SISMEMBER", "s"));
    }

    [Fact]
    public void Smembers_and_the_combinations_are_sets_in_resp3_and_arrays_in_resp2()
    {
        Run("SADD", "a", "x");
        Run("SADD", "b", "x", "y");
        Assert.Equal("*1\r\n$1\r\nx\r\n", Run(2, "SMEMBERS", "a"));
        Assert.Equal("~1\r\n$1\r\nx\r\n", Run(3, "SMEMBERS", "a"));
        Assert.Equal("~0\r\n", Run(3, "SMEMBERS", "nokey"));
        Assert.Equal("~1\r\n$1\r\nx\r\n", Run(3, "SINTER", "a", "b"));
        Assert.Equal("*0\r\n", Run("SINTER", "a", "b", "nokey"));
        Assert.Equal("~1\r\n$1\r\ny\r\n", Run(3, "SDIFF", "b", "a"));
        Assert.Equal("*0\r\n", Run("SDIFF", "nokey", "a"));
        Assert.Equal("*2\r\n", Run("SUNION", "a", "b", "nokey")[..4]);
        Run("SET", "str", "v");
        Assert.Equal(WrongType, Run("SINTER", "nokey", "str"));
        Assert.Equal(WrongType, Run("SUNION", "a", "str"));
        Assert.Equal(WrongType, Run("SMEMBERS", "str"));
        Assert.Equal(WrongType, Run("SADD", "str", "m"));
        Assert.Equal(WrongType, Run("GET", "a"));
    }

    [Fact]
    public void Sintercard_counts_up_to_its_limit_with_redis_errors()
    {
        Run("SADD", "a", "1", "2", "3");
        Run("SADD", "b", "1", "2", "3", "4");
        Assert.Equal(":3\r\n", Run("SINTERCARD", "2", "a", "b"));
        Assert.Equal(":2\r\n", Run("SINTERCARD", "2", "a", "b", "LIMIT", "2"));
        Assert.Equal(":3\r\n", Run("SINTERCARD", "2", "a", "b", "limit", "0"));
        Assert.Equal(":0\r\n", Run("SINTERCARD", "2", "a", "nokey"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", Run("SINTERCARD", "0", "a"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", Run("SINTERCARD", "x", "a"));
        Assert.Equal("-ERR Number of keys can't be greater than number of args\r\n", Run("SINTERCARD", "2", "a"));
        Assert.Equal("-ERR LIMIT can't be negative\r\n", Run("SINTERCARD", "1", "a", "LIMIT", "-1"));
        Assert.Equal("-ERR LIMIT can't be negative\r\n", Run("SINTERCARD", "1", "a", "LIMIT", "x"));
        Assert.Equal("-ERR syntax error\r\n", Run("SINTERCARD", "1", "a", "LIMIT"));
        Assert.Equal("-ERR syntax error\r\n", Run("SINTERCARD", "1", "a", "b"));
    }

    [Fact]
    public void Spop_and_srandmember_answer_redis_types_and_errors()
    {
        Run("SADD", "s", "a");
        Assert.Equal("$1\r\na\r\n", Run("SRANDMEMBER", "s"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n", Run(3, "SRANDMEMBER", "s", "-3"));
        Assert.Equal("*1\r\n$1\r\na\r\n", Run(3, "SRANDMEMBER", "s", "5"));
        Assert.Equal("*0\r\n", Run(3, "SRANDMEMBER", "nokey", "5"));
        Assert.Equal("_\r\n", Run(3, "SRANDMEMBER", "nokey"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Run("SRANDMEMBER", "s", "x"));
        Assert.Equal("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
            Run("SRANDMEMBER", "s", "-9223372036854775808"));
        Assert.Equal("-ERR syntax error\r\n", Run("SRANDMEMBER", "s", "1", "2"));
        Assert.Equal("~0\r\n", Run(3, "SPOP", "s", "0"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", Run("SPOP", "s", "-1"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", Run("SPOP", "s", "x"));
        Assert.Equal("-ERR syntax error\r\n", Run("SPOP", "s", "1", "2"));
        Assert.Equal("~1\r\n$1\r\na\r\n", Run(3, "SPOP", "s", "3"));
        Assert.Equal(":0\r\n", Run("EXISTS", "s"));
        Assert.Equal("$-1\r\n", Run("SPOP", "s"));
        Assert.Equal("~0\r\n", Run(3, "SPOP", "s", "2"));
        Run("SADD", "s", "b");
        Assert.Equal("$1\r\nb\r\n", Run("SPOP", "s"));
    }

    [Fact]
    public void Smove_and_the_store_forms_answer_as_redis()
    {
        Run("SADD", "a", "1", "2");
        Run("SADD", "b", "2", "3");
        Run("SET", "str", "v");
        Assert.Equal(":0\r\n", Run("SMOVE", "nokey", "str", "1"));
        Assert.Equal(WrongType, Run("SMOVE", "a", "str", "1"));
        Assert.Equal(":1\r\n", Run("SMOVE", "a", "b", "1"));
        Assert.Equal(":0\r\n", Run("SMOVE", "a", "b", "1"));
        Assert.Equal(":1\r\n", Run("SINTERSTORE", "str", "a", "b"));
        Assert.Equal("+set\r\n", Run("TYPE", "str"));
        Assert.Equal(":3\r\n", Run("SUNIONSTORE", "u", "a", "b", "nokey"));
        Assert.Equal(":2\r\n", Run("SDIFFSTORE", "d", "b", "a"));
        Assert.Equal(":0\r\n", Run("SINTERSTORE", "u", "a", "nokey"));
        Assert.Equal(":0\r\n", Run("EXISTS", "u"));
        Run("SET", "str2", "v");
        Assert.Equal(WrongType, Run("SUNIONSTORE", "u", "a", "str2"));
        Assert.Equal("-ERR wrong number of arguments for 'sinterstore' command\r\n", Run("SINTERSTORE", "u"));
    }

    [Fact]
    public void Sscan_pages_with_match_and_count_and_refuses_a_bad_cursor()
    {
        Run("SADD", "s", "a1", "a2", "b1");
        var whole = Run("SSCAN", "s", "0", "MATCH", "a*", "COUNT", "1");
        Assert.StartsWith("*2\r\n$1\r\n0\r\n*2\r\n", whole);
        Assert.DoesNotContain("b1", whole);
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", Run("SSCAN", "nokey", "0"));
        Assert.Equal("-ERR invalid cursor\r\n", Run("SSCAN", "s", "abc"));
        Assert.Equal("-ERR syntax error\r\n", Run("SSCAN", "s", "0", "COUNT", "0"));
        Assert.Equal("-ERR syntax error\r\n", Run("SSCAN", "s", "0", "NOVALUES"));
        var members = Enumerable.Range(0, 300).Select(i => "m" + i.ToString("D3")).ToArray();
        Run(["SADD", "big", .. members]);
        var seen = new List<string>();
        var cursor = "0";
        do
        {
            var value = (RespArray)((Immediate)new Immediate(Reply("SSCAN", "big", cursor, "COUNT", "20"))).Reply;
            cursor = Encoding.UTF8.GetString(((RespBulk)value.Items[0]).Data);
            seen.AddRange(((RespArray)value.Items[1]).Items.Select(i => Encoding.UTF8.GetString(((RespBulk)i).Data)));
        } while (cursor != "0");
        Assert.Equal(members, seen.Order());
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", Run("SSCAN", "big", "0", "MATCH", "zz*", "COUNT", "1000"));
        Assert.Equal(["big"], ScanTypeKeys("set").Where(k => k == "big"));
    }

    private RespValue Reply(params string[] words) => _commands.Map(RespArgs.Of(words), _session) is ClusterCall call ? Answer(call) : throw new InvalidOperationException();

    private IEnumerable<string> ScanTypeKeys(string type)
    {
        var page = (PartPage)_state.Decide(new ScanPart(0, null, 100, type)).Reply;
        return page.Keys.Select(k => k.ToString());
    }

    [Fact]
    public void Sintercard_keys_are_found_by_their_count_for_acl()
    {
        var spec = RespCommandTable.Find("SINTERCARD")!;
        Assert.Equal([2, 3], spec.KeyPositions(RespArgs.Of("SINTERCARD", "2", "a", "b", "LIMIT", "1")));
        Assert.Empty(spec.KeyPositions(RespArgs.Of("SINTERCARD", "5", "a")));
        Assert.Equal([1, 2, 3], RespCommandTable.Find("SINTERSTORE")!.KeyPositions(RespArgs.Of("SINTERSTORE", "d", "a", "b")));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", Run("COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1"));
        Assert.Equal("*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n", Run("COMMAND", "GETKEYS", "SUNIONSTORE", "d", "a", "b"));
        Assert.Contains("@set", RespCommandTable.Find("SPOP")!.Categories);
        Assert.Contains("@write", RespCommandTable.Find("SPOP")!.Categories);
        Assert.Contains("@read", RespCommandTable.Find("SMEMBERS")!.Categories);
    }
}
