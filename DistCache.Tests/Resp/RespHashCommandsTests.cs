using System.Buffers;
using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Host.Resp;
using DistCache.Protocol;

namespace DistCache.Tests.Resp;

/// <summary>The hash commands from a Redis request to the bytes of the reply, RESP2 and RESP3, decided by a
/// <see cref="PartitionState"/> alone (no cluster, no network): arity, options, replies and Redis 7's
/// error texts.</summary>
public sealed class RespHashCommandsTests
{
    private readonly RespCommands _commands = new(() => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 1, TimeSpan.Zero));
    private readonly RespSession _session = new(1);
    private readonly PartitionState _state = new(new PartitionLimits(1024, 1 << 20, MaxCollectionElements: 4));

    // The reply as the wire carries it in the given protocol.
    private string Run(int protocol, params string[] words)
    {
        var value = _commands.Map(RespArgs.Of(words), _session) switch
        {
            Immediate immediate => immediate.Reply,
            ClusterCall call => Answer(call),
            var other => throw new InvalidOperationException($"{other} is not expected of a hash command"),
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

    [Fact]
    public void Hset_hget_hmget_hdel_and_friends_answer_as_redis()
    {
        Assert.Equal(":2\r\n", Run("HSET", "h", "a", "1", "b", "22"));
        Assert.Equal("+OK\r\n", Run("HMSET", "h", "a", "3"));
        Assert.Equal("$1\r\n3\r\n", Run("HGET", "h", "a"));
        Assert.Equal("$-1\r\n", Run("HGET", "h", "zz"));
        Assert.Equal("_\r\n", Run(3, "HGET", "h", "zz"));
        Assert.Equal("*3\r\n$1\r\n3\r\n$-1\r\n$2\r\n22\r\n", Run("HMGET", "h", "a", "zz", "b"));
        Assert.Equal(":0\r\n", Run("HSETNX", "h", "a", "x"));
        Assert.Equal(":1\r\n", Run("HSETNX", "h", "c", "x"));
        Assert.Equal(":1\r\n", Run("HEXISTS", "h", "c"));
        Assert.Equal(":0\r\n", Run("HEXISTS", "h", "zz"));
        Assert.Equal(":2\r\n", Run("HSTRLEN", "h", "b"));
        Assert.Equal(":0\r\n", Run("HSTRLEN", "h", "zz"));
        Assert.Equal(":3\r\n", Run("HLEN", "h"));
        Assert.Equal("+hash\r\n", Run("TYPE", "h"));
        Assert.Equal("$8\r\nlistpack\r\n", Run("OBJECT", "ENCODING", "h"));
        Assert.Equal(":2\r\n", Run("HDEL", "h", "a", "c", "zz"));
        Assert.Equal(":1\r\n", Run("HDEL", "h", "b"));
        Assert.Equal(":0\r\n", Run("EXISTS", "h"));
        Assert.Equal("+none\r\n", Run("TYPE", "h"));
        Assert.Equal("$-1\r\n", Run("OBJECT", "ENCODING", "h"));
    }

    [Fact]
    public void Hgetall_is_a_map_in_resp3_and_a_flat_array_in_resp2()
    {
        Run("HSET", "h", "a", "1");
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\n1\r\n", Run(2, "HGETALL", "h"));
        Assert.Equal("%1\r\n$1\r\na\r\n$1\r\n1\r\n", Run(3, "HGETALL", "h"));
        Assert.Equal("*1\r\n$1\r\na\r\n", Run("HKEYS", "h"));
        Assert.Equal("*1\r\n$1\r\n1\r\n", Run("HVALS", "h"));
        Assert.Equal("*0\r\n", Run(2, "HGETALL", "missing"));
        Assert.Equal("%0\r\n", Run(3, "HGETALL", "missing"));
    }

    [Fact]
    public void Hincrby_and_hincrbyfloat_answer_redis_errors()
    {
        Assert.Equal(":5\r\n", Run("HINCRBY", "h", "n", "5"));
        Assert.Equal("$4\r\n10.5\r\n", Run("HINCRBYFLOAT", "h", "f", "10.5"));
        Assert.Equal("$4\r\n10.6\r\n", Run("HINCRBYFLOAT", "h", "f", "0.1"));
        Run("HSET", "h", "t", "text", "max", long.MaxValue.ToString());
        Assert.Equal("-ERR hash value is not an integer\r\n", Run("HINCRBY", "h", "t", "1"));
        Assert.Equal("-ERR hash value is not a float\r\n", Run("HINCRBYFLOAT", "h", "t", "1"));
        Assert.Equal("-ERR increment or decrement would overflow\r\n", Run("HINCRBY", "h", "max", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Run("HINCRBY", "h", "n", "x"));
        Assert.Equal("-ERR value is not a valid float\r\n", Run("HINCRBYFLOAT", "h", "n", "x"));
        Assert.Equal("-ERR value is not a valid float\r\n", Run("HINCRBYFLOAT", "h", "n", "nan"));
    }

    [Fact]
    public void Wrongtype_answers_both_ways()
    {
        const string wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        Run("HSET", "h", "a", "1");
        Run("SET", "s", "v");
        Assert.Equal(wrongType, Run("GET", "h"));
        Assert.Equal(wrongType, Run("INCR", "h"));
        Assert.Equal(wrongType, Run("APPEND", "h", "x"));
        Assert.Equal(wrongType, Run("STRLEN", "h"));
        Assert.Equal(wrongType, Run("HSET", "s", "a", "1"));
        Assert.Equal(wrongType, Run("HGET", "s", "a"));
        Assert.Equal(wrongType, Run("HGETALL", "s"));
        Assert.Equal(wrongType, Run("HSCAN", "s", "0"));
        Assert.Equal("+string\r\n", Run("TYPE", "s"));
    }

    [Fact]
    public void Hrandfield_answers_every_count_as_redis_does()
    {
        Run("HSET", "h", "a", "1", "b", "2");
        Assert.Matches("^\\$1\r\n[ab]\r\n$", Run("HRANDFIELD", "h"));
        Assert.Equal("$-1\r\n", Run("HRANDFIELD", "missing"));
        Assert.Equal("*0\r\n", Run("HRANDFIELD", "h", "0"));
        Assert.Equal("*0\r\n", Run("HRANDFIELD", "missing", "3"));
        Assert.StartsWith("*2\r\n", Run("HRANDFIELD", "h", "5"));
        Assert.StartsWith("*5\r\n", Run("HRANDFIELD", "h", "-5"));
        Assert.StartsWith("*10\r\n", Run(2, "HRANDFIELD", "h", "-5", "WITHVALUES"));
        // RESP3: an array of [field, value] pairs.
        Assert.Matches("^\\*1\r\n\\*2\r\n\\$1\r\n([ab])\r\n\\$1\r\n[12]\r\n$", Run(3, "HRANDFIELD", "h", "1", "WITHVALUES"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Run("HRANDFIELD", "h", "x"));
        Assert.Equal("-ERR syntax error\r\n", Run("HRANDFIELD", "h", "1", "WITHSCORES"));
        Assert.Equal("-ERR value is out of range\r\n", Run("HRANDFIELD", "h", "-9223372036854770000", "WITHVALUES"));
    }

    [Fact]
    public void Hscan_pages_with_match_count_and_novalues()
    {
        Run("HSET", "h", "a1", "1", "a2", "2", "b1", "3");
        Assert.Equal("*2\r\n$1\r\n0\r\n*4\r\n$2\r\na1\r\n$1\r\n1\r\n$2\r\na2\r\n$1\r\n2\r\n", Run("HSCAN", "h", "0", "MATCH", "a*"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*3\r\n$2\r\na1\r\n$2\r\na2\r\n$2\r\nb1\r\n", Run("HSCAN", "h", "0", "COUNT", "1", "NOVALUES"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", Run("HSCAN", "missing", "0"));
        Assert.Equal("-ERR invalid cursor\r\n", Run("HSCAN", "h", "x"));
        Assert.Equal("-ERR syntax error\r\n", Run("HSCAN", "h", "0", "COUNT", "0"));
        Assert.Equal("-ERR syntax error\r\n", Run("HSCAN", "h", "0", "FOO"));
    }

    [Fact]
    public void Arity_errors_and_the_collection_limit_use_redis_words()
    {
        Assert.Equal("-ERR wrong number of arguments for 'hset' command\r\n", Run("HSET", "h", "a"));
        Assert.Equal("-ERR wrong number of arguments for 'hset' command\r\n", Run("HSET", "h", "a", "1", "b"));
        Assert.Equal("-ERR wrong number of arguments for 'hmset' command\r\n", Run("HMSET", "h"));
        Assert.Equal("-ERR wrong number of arguments for 'hget' command\r\n", Run("HGET", "h"));
        Assert.Equal("-ERR wrong number of arguments for 'hdel' command\r\n", Run("HDEL", "h"));
        Run("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4");
        Assert.Equal("-ERR collection exceeds maximum allowed size (5 elements, distcache.max-collection-elements is 4)\r\n", Run("HSET", "h", "e", "5"));
        Assert.Equal(":4\r\n", Run("HLEN", "h"));
    }
}
