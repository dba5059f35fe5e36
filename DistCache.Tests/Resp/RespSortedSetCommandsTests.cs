using System.Buffers;
using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Host.Resp;
using DistCache.Protocol;

namespace DistCache.Tests.Resp;

/// <summary>The sorted-set commands from a Redis request to the bytes of the reply, RESP2 and RESP3, decided by
/// a <see cref="PartitionState"/> alone (no cluster, no network): arity, options, replies and Redis 7.2's
/// error texts and score formatting.</summary>
public sealed class RespSortedSetCommandsTests
{
    private readonly RespCommands _commands = new(() => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 1, TimeSpan.Zero));
    private readonly RespSession _session = new(1);
    private readonly PartitionState _state = new(new PartitionLimits(1024, 1 << 20, MaxCollectionElements: 1000));

    private string Run(int protocol, params string[] words)
    {
        var value = _commands.Map(RespArgs.Of(words), _session) switch
        {
            Immediate immediate => immediate.Reply,
            ClusterCall call => Answer(call),
            var other => throw new InvalidOperationException($"{other} is not expected of a sorted-set command"),
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

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(100, "100")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e7, "10000000")]
    [InlineData(1e8, "1e+8")]
    [InlineData(1e15, "1e+15")]
    [InlineData(1.2345678901234568e20, "123456789012345680000")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(5e-324, "5e-324")]
    public void Scores_are_printed_as_redis_7_2_prints_them(double score, string expected) => Assert.Equal(expected, ScoreText.Format(score));

    [Fact]
    public void Zadd_answers_and_refuses_as_redis()
    {
        Assert.Equal(":3\r\n", Run("ZADD", "z", "1", "a", "1", "b", "0", "c"));
        Assert.Equal(":1\r\n", Run("zadd", "z", "5", "a", "-inf", "d"));
        Assert.Equal(":3\r\n", Run("ZADD", "z", "CH", "6", "a", "1", "e", "2", "e"));
        Assert.Equal("-ERR XX and NX options at the same time are not compatible\r\n", Run("ZADD", "z", "XX", "NX", "1", "a"));
        Assert.Equal("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", Run("ZADD", "z", "GT", "LT", "1", "a"));
        Assert.Equal("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", Run("ZADD", "z", "NX", "GT", "1", "a"));
        Assert.Equal("-ERR INCR option supports a single increment-element pair\r\n", Run("ZADD", "z", "INCR", "1", "a", "2", "b"));
        Assert.Equal("-ERR wrong number of arguments for 'zadd' command\r\n", Run("ZADD", "z", "1"));
        Assert.Equal("-ERR syntax error\r\n", Run("ZADD", "z", "1", "a", "2"));
        Assert.Equal("-ERR value is not a valid float\r\n", Run("ZADD", "z", "nan", "a"));
        Assert.Equal("-ERR value is not a valid float\r\n", Run("ZADD", "z", "abc", "a"));
        Assert.Equal("$3\r\ninf\r\n", Run("ZADD", "z", "INCR", "inf", "i"));
        Assert.Equal(",inf\r\n", Run(3, "ZSCORE", "z", "i"));
        Assert.Equal("-ERR resulting score is not a number (NaN)\r\n", Run("ZINCRBY", "z", "-inf", "i"));
        Assert.Equal("$-1\r\n", Run("ZADD", "z", "XX", "INCR", "1", "nosuch"));
        Assert.Equal("$3\r\n8.5\r\n", Run("ZINCRBY", "z", "2.5", "a"));
        Assert.Equal(",8.5\r\n", Run(3, "ZINCRBY", "z", "0", "a"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", Run("GET", "z"));
        Run("SET", "s", "v");
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", Run("ZADD", "s", "1", "a"));
        Assert.Equal("+zset\r\n", Run("TYPE", "z"));
        Assert.Equal("$8\r\nlistpack\r\n", Run("OBJECT", "ENCODING", "z"));
    }

    [Fact]
    public void Scores_ranks_and_counts_answer_as_redis()
    {
        Run("ZADD", "z", "1", "a", "2", "b", "3", "c");
        Assert.Equal("$1\r\n2\r\n", Run("ZSCORE", "z", "b"));
        Assert.Equal("$-1\r\n", Run("ZSCORE", "z", "x"));
        Assert.Equal("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n", Run("ZMSCORE", "z", "a", "x", "c"));
        Assert.Equal("*2\r\n,1\r\n_\r\n", Run(3, "ZMSCORE", "z", "a", "x"));
        Assert.Equal(":3\r\n", Run("ZCARD", "z"));
        Assert.Equal(":0\r\n", Run("ZCARD", "none"));
        Assert.Equal(":1\r\n", Run("ZRANK", "z", "b"));
        Assert.Equal(":0\r\n", Run("ZREVRANK", "z", "c"));
        Assert.Equal("*2\r\n:1\r\n$1\r\n2\r\n", Run("ZRANK", "z", "b", "WITHSCORE"));
        Assert.Equal("*2\r\n:1\r\n,2\r\n", Run(3, "ZRANK", "z", "b", "withscore"));
        Assert.Equal("$-1\r\n", Run("ZRANK", "z", "x"));
        Assert.Equal("*-1\r\n", Run("ZRANK", "z", "x", "WITHSCORE"));
        Assert.Equal("-ERR syntax error\r\n", Run("ZRANK", "z", "b", "WITHSCORES"));
        Assert.Equal(":2\r\n", Run("ZCOUNT", "z", "(1", "+inf"));
        Assert.Equal("-ERR min or max is not a float\r\n", Run("ZCOUNT", "z", "x", "1"));
        Assert.Equal(":3\r\n", Run("ZLEXCOUNT", "z", "-", "+"));
        Assert.Equal("-ERR min or max not valid string range item\r\n", Run("ZLEXCOUNT", "z", "a", "b"));
    }

    [Fact]
    public void Zrange_in_all_its_forms_answers_as_redis()
    {
        Run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        Assert.Equal("*2\r\n$1\r\nc\r\n$1\r\nd\r\n", Run("ZRANGE", "z", "-2", "-1"));
        Assert.Equal("*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n", Run("ZRANGE", "z", "0", "1", "REV", "WITHSCORES"));
        Assert.Equal("*2\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n,3\r\n", Run(3, "ZREVRANGE", "z", "0", "1", "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", Run("ZRANGE", "z", "(1", "3", "BYSCORE"));
        Assert.Equal("*1\r\n$1\r\nc\r\n", Run("ZRANGE", "z", "+inf", "(1", "BYSCORE", "REV", "LIMIT", "1", "1"));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", Run("ZRANGEBYSCORE", "z", "2", "3"));
        Assert.Equal("*2\r\n$1\r\nc\r\n$1\r\nb\r\n", Run("ZREVRANGEBYSCORE", "z", "3", "2"));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", Run("ZRANGE", "z", "[b", "(d", "BYLEX"));
        Assert.Equal("*2\r\n$1\r\nd\r\n$1\r\nc\r\n", Run("ZREVRANGEBYLEX", "z", "+", "[c"));
        Assert.Equal("*1\r\n$1\r\na\r\n", Run("ZRANGEBYLEX", "z", "-", "+", "LIMIT", "0", "1"));
        Assert.Equal("*0\r\n", Run("ZRANGE", "none", "0", "-1"));
        Assert.Equal("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", Run("ZRANGE", "z", "0", "1", "LIMIT", "0", "1"));
        Assert.Equal("-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n", Run("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"));
        Assert.Equal("-ERR syntax error\r\n", Run("ZRANGEBYSCORE", "z", "1", "2", "REV"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Run("ZRANGE", "z", "a", "1"));
        Assert.Equal(":2\r\n", Run("ZRANGESTORE", "dst", "z", "0", "1"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", Run("ZRANGE", "dst", "0", "-1"));
        Assert.Equal("-ERR syntax error\r\n", Run("ZRANGESTORE", "dst", "z", "0", "1", "WITHSCORES"));
    }

    [Fact]
    public void Removals_and_pops_answer_as_redis_and_the_last_member_deletes_the_key()
    {
        Run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        Assert.Equal(":1\r\n", Run("ZREM", "z", "a", "x"));
        Assert.Equal(":1\r\n", Run("ZREMRANGEBYRANK", "z", "0", "0"));
        Assert.Equal(":1\r\n", Run("ZREMRANGEBYSCORE", "z", "(4", "5"));
        Assert.Equal("*2\r\n$1\r\nc\r\n$1\r\n3\r\n", Run("ZPOPMIN", "z"));
        Assert.Equal("*1\r\n*2\r\n$1\r\nd\r\n,4\r\n", Run(3, "ZPOPMAX", "z", "5"));
        Assert.Equal("*0\r\n", Run("ZPOPMIN", "z"));
        Assert.Equal(":0\r\n", Run("EXISTS", "z"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", Run("ZPOPMIN", "z", "-1"));
        Run("ZADD", "y", "1", "a", "2", "b");
        Assert.Equal("*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n", Run(3, "ZPOPMAX", "y", "2"));
        Run("ZADD", "y", "1", "a", "2", "b");
        Assert.Equal("*2\r\n$1\r\ny\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", Run("ZMPOP", "2", "none", "y", "MIN"));
        Assert.Equal("*-1\r\n", Run("ZMPOP", "1", "none", "MAX", "COUNT", "3"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", Run("ZMPOP", "0", "y", "MIN"));
        Assert.Equal("-ERR count should be greater than 0\r\n", Run("ZMPOP", "1", "y", "MIN", "COUNT", "0"));
        Assert.Equal("-ERR syntax error\r\n", Run("ZMPOP", "1", "y", "LEFT"));
    }

    [Fact]
    public void Union_inter_diff_and_their_store_forms_answer_as_redis()
    {
        Run("ZADD", "a", "1", "x", "2", "y");
        Run("ZADD", "b", "10", "y", "20", "z");
        Assert.Equal("*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n20\r\n", Run("ZUNION", "2", "a", "b", "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\ny\r\n$2\r\n14\r\n", Run("ZINTER", "2", "a", "b", "WEIGHTS", "2", "1", "AGGREGATE", "SUM", "WITHSCORES"));
        Assert.Equal("*1\r\n$1\r\nx\r\n", Run("ZDIFF", "2", "a", "b"));
        Assert.Equal("-ERR syntax error\r\n", Run("ZDIFF", "2", "a", "b", "WEIGHTS", "1", "2"));
        Assert.Equal("-ERR weight value is not a float\r\n", Run("ZUNION", "2", "a", "b", "WEIGHTS", "1", "x"));
        Assert.Equal("-ERR at least 1 input key is needed for 'zunion' command\r\n", Run("ZUNION", "0", "a"));
        Assert.Equal("-ERR syntax error\r\n", Run("ZUNION", "3", "a", "b"));
        Assert.Equal(":3\r\n", Run("ZUNIONSTORE", "dst", "2", "a", "b", "AGGREGATE", "MAX"));
        Assert.Equal("*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n", Run("ZRANGE", "dst", "0", "-1"));
        Assert.Equal(":1\r\n", Run("ZINTERSTORE", "dst", "2", "a", "b"));
        Assert.Equal(":1\r\n", Run("ZDIFFSTORE", "dst", "2", "a", "b"));
        Assert.Equal(":1\r\n", Run("ZINTERCARD", "2", "a", "b"));
        Assert.Equal(":1\r\n", Run("ZINTERCARD", "2", "a", "b", "LIMIT", "1"));
        Assert.Equal("-ERR LIMIT can't be negative\r\n", Run("ZINTERCARD", "2", "a", "b", "LIMIT", "-1"));
    }

    [Fact]
    public void Zunion_takes_a_plain_set_as_members_of_score_1_as_redis_7()
    {
        Run("ZADD", "z", "2", "a", "3", "b");
        Run("SADD", "s", "b", "c");
        Run("RPUSH", "list", "x");
        Assert.Equal("*6\r\n$1\r\nc\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n4\r\n", Run("ZUNION", "2", "z", "s", "WITHSCORES"));
        Assert.Equal("*3\r\n*2\r\n$1\r\na\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,6\r\n", Run(3, "ZUNION", "2", "z", "s", "WEIGHTS", "1", "3", "WITHSCORES"));
        Assert.Equal(":2\r\n", Run("ZUNIONSTORE", "z2", "1", "s"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", Run("ZINTER", "2", "z", "list"));
    }

    [Fact]
    public void Zrandmember_and_zscan_answer_as_redis()
    {
        Run("ZADD", "z", "1", "a");
        Assert.Equal("$1\r\na\r\n", Run("ZRANDMEMBER", "z"));
        Assert.Equal("$-1\r\n", Run("ZRANDMEMBER", "none"));
        Assert.Equal("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n", Run("ZRANDMEMBER", "z", "-2", "WITHSCORES"));
        Assert.Equal("*0\r\n", Run("ZRANDMEMBER", "none", "3"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", Run(3, "ZSCAN", "z", "0"));
        Assert.Equal("-ERR invalid cursor\r\n", Run("ZSCAN", "z", "x"));
    }
}
