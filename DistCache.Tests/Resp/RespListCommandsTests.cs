using System.Buffers;
using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Host.Resp;
using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Tests.Resp;

/// <summary>The list commands from a Redis request to the bytes of the reply, RESP2 and RESP3, decided by a
/// <see cref="PartitionState"/> alone (no cluster, no network): arity, options, replies and Redis 7's
/// error texts.</summary>
public sealed class RespListCommandsTests
{
    private readonly RespCommands _commands = new(() => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 1, TimeSpan.Zero));
    private readonly RespSession _session = new(1);
    private readonly PartitionState _state = new(new PartitionLimits(1024, 1 << 20, MaxCollectionElements: 6));

    private string Run(int protocol, params string[] words)
    {
        var value = _commands.Map(RespArgs.Of(words), _session) switch
        {
            Immediate immediate => immediate.Reply,
            ClusterCall call => Answer(call),
            var other => throw new InvalidOperationException($"{other} is not expected of a list command"),
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
    public void Pushes_pops_and_reads_answer_as_redis()
    {
        Assert.Equal(":3\r\n", Run("RPUSH", "l", "a", "b", "c"));
        Assert.Equal(":4\r\n", Run("LPUSH", "l", "z"));
        Assert.Equal(":0\r\n", Run("LPUSHX", "none", "x"));
        Assert.Equal(":5\r\n", Run("RPUSHX", "l", "d"));
        Assert.Equal(":5\r\n", Run("LLEN", "l"));
        Assert.Equal("*5\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", Run("LRANGE", "l", "0", "-1"));
        Assert.Equal("*0\r\n", Run("LRANGE", "none", "0", "-1"));
        Assert.Equal("$1\r\nd\r\n", Run("LINDEX", "l", "-1"));
        Assert.Equal("$-1\r\n", Run("LINDEX", "l", "9"));
        Assert.Equal("_\r\n", Run(3, "LINDEX", "l", "9"));
        Assert.Equal("+list\r\n", Run("TYPE", "l"));
        Assert.Equal("$8\r\nlistpack\r\n", Run("OBJECT", "ENCODING", "l"));
        Assert.Equal("$1\r\nz\r\n", Run("LPOP", "l"));
        Assert.Equal("*2\r\n$1\r\nd\r\n$1\r\nc\r\n", Run("RPOP", "l", "2"));
        Assert.Equal("*0\r\n", Run("LPOP", "l", "0"));
        Assert.Equal("$-1\r\n", Run("LPOP", "none"));
        Assert.Equal("*-1\r\n", Run("LPOP", "none", "2"));
        Assert.Equal("*-1\r\n", Run("LPOP", "none", "0"));
        Assert.Equal("_\r\n", Run(3, "LPOP", "none", "2"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", Run("LPOP", "l", "-1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Run("LPOP", "l", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'lpop' command\r\n", Run("LPOP", "l", "1", "2"));
    }

    [Fact]
    public void Lset_ltrim_lrem_and_linsert_answer_as_redis()
    {
        Run("RPUSH", "l", "a", "b", "a", "c");
        Assert.Equal("+OK\r\n", Run("LSET", "l", "1", "B"));
        Assert.Equal("-ERR index out of range\r\n", Run("LSET", "l", "4", "x"));
        Assert.Equal("-ERR no such key\r\n", Run("LSET", "none", "0", "x"));
        Assert.Equal(":5\r\n", Run("LINSERT", "l", "BEFORE", "c", "x"));
        Assert.Equal(":-1\r\n", Run("LINSERT", "l", "after", "zz", "x"));
        Assert.Equal(":0\r\n", Run("LINSERT", "none", "AFTER", "c", "x"));
        Assert.Equal("-ERR syntax error\r\n", Run("LINSERT", "l", "MIDDLE", "c", "x"));
        Assert.Equal(":2\r\n", Run("LREM", "l", "0", "a"));
        Assert.Equal("+OK\r\n", Run("LTRIM", "l", "0", "1"));
        Assert.Equal("*2\r\n$1\r\nB\r\n$1\r\nx\r\n", Run("LRANGE", "l", "0", "-1"));
        Assert.Equal("+OK\r\n", Run("LTRIM", "l", "5", "1"));
        Assert.Equal(":0\r\n", Run("EXISTS", "l"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Run("LTRIM", "l", "a", "1"));
    }

    [Fact]
    public void Lpos_answers_an_index_or_an_array_and_redis_errors()
    {
        Run("RPUSH", "l", "a", "b", "c", "b");
        Assert.Equal(":1\r\n", Run("LPOS", "l", "b"));
        Assert.Equal(":3\r\n", Run("LPOS", "l", "b", "RANK", "-1"));
        Assert.Equal("$-1\r\n", Run("LPOS", "l", "zz"));
        Assert.Equal("*2\r\n:1\r\n:3\r\n", Run("LPOS", "l", "b", "COUNT", "0"));
        Assert.Equal("*0\r\n", Run("LPOS", "l", "zz", "COUNT", "1"));
        Assert.Equal("*1\r\n:1\r\n", Run("LPOS", "l", "b", "COUNT", "5", "MAXLEN", "3"));
        Assert.Equal("-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n",
            Run("LPOS", "l", "b", "RANK", "0"));
        Assert.Equal("-ERR COUNT can't be negative\r\n", Run("LPOS", "l", "b", "COUNT", "-1"));
        Assert.Equal("-ERR MAXLEN can't be negative\r\n", Run("LPOS", "l", "b", "MAXLEN", "-1"));
        Assert.Equal("-ERR syntax error\r\n", Run("LPOS", "l", "b", "RANK"));
    }

    [Fact]
    public void Lmove_rpoplpush_and_lmpop_answer_as_redis()
    {
        Run("RPUSH", "src", "a", "b", "c");
        Assert.Equal("$1\r\nc\r\n", Run("RPOPLPUSH", "src", "dst"));
        Assert.Equal("$1\r\na\r\n", Run("LMOVE", "src", "dst", "LEFT", "RIGHT"));
        Assert.Equal("$-1\r\n", Run("LMOVE", "none", "dst", "LEFT", "RIGHT"));
        Assert.Equal("-ERR syntax error\r\n", Run("LMOVE", "src", "dst", "UP", "RIGHT"));
        Assert.Equal("*2\r\n$3\r\ndst\r\n*2\r\n$1\r\nc\r\n$1\r\na\r\n", Run("LMPOP", "2", "none", "dst", "LEFT", "COUNT", "5"));
        Assert.Equal("*2\r\n$3\r\nsrc\r\n*1\r\n$1\r\nb\r\n", Run(3, "LMPOP", "1", "src", "RIGHT"));
        Assert.Equal("*-1\r\n", Run("LMPOP", "1", "src", "LEFT"));
        Assert.Equal("_\r\n", Run(3, "LMPOP", "1", "src", "LEFT"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", Run("LMPOP", "0", "src", "LEFT"));
        Assert.Equal("-ERR count should be greater than 0\r\n", Run("LMPOP", "1", "src", "LEFT", "COUNT", "0"));
        Assert.Equal("-ERR syntax error\r\n", Run("LMPOP", "1", "src", "MIDDLE"));
        Assert.Equal("-ERR syntax error\r\n", Run("LMPOP", "5", "src", "LEFT"));
        Assert.Equal("-ERR wrong number of arguments for 'lmpop' command\r\n", Run("LMPOP", "1", "src"));
    }

    [Fact]
    public void Wrongtype_the_collection_limit_and_scan_type_work_for_lists()
    {
        Run("SET", "s", "v");
        Run("RPUSH", "l", "a");
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", Run("LPUSH", "s", "x"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", Run("GET", "l"));
        Assert.StartsWith("-ERR collection exceeds maximum allowed size", Run("RPUSH", "l", "1", "2", "3", "4", "5", "6"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nl\r\n", ScanPage("list"));
    }

    [Fact]
    public void Keys_of_lmove_and_lmpop_in_different_partitions_are_refused_with_crossslot()
    {
        const int partitions = 64;
        var (a, b) = (new CacheKey("a"u8.ToArray()), new CacheKey("b"u8.ToArray()));
        Assert.NotEqual(KeyHasher.PartitionOf(a, partitions), KeyHasher.PartitionOf(b, partitions));
        Assert.Equal(CacheErrorCode.CrossSlot, CommandValidator.Validate(new ListMove(a, b, true, true), PartitionLimits.Default, partitions)!.Code);
        Assert.Equal(CacheErrorCode.CrossSlot, CommandValidator.Validate(new ListMultiPop([a, b], true), PartitionLimits.Default, partitions)!.Code);
        Assert.Null(CommandValidator.Validate(new ListMove(a, a, true, false), PartitionLimits.Default, partitions));
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", Error(new Rejected(CacheErrorCode.CrossSlot)));
    }

    [Fact]
    public void Lmpop_keys_are_checked_by_acl_though_the_row_has_no_fixed_positions()
    {
        var row = RespCommandTable.Find("LMPOP")!;
        Assert.Empty(row.KeyPositions(5));
        Assert.Equal([2, 3], row.MovableKeyPositions(RespArgs.Of("LMPOP", "2", "a", "b", "LEFT")));
        Assert.Empty(RespCommandTable.Find("LPUSH")!.MovableKeyPositions(RespArgs.Of("LPUSH", "2", "a")));
    }

    private string ScanPage(string type)
    {
        var page = (PartPage)_state.Decide(new ScanPart(0, null, 10, type)).Reply;
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.Write(buffer, new RespArray([RespValue.Bulk("0"), new RespArray(page.Keys.Select(RespValue.Bulk).ToArray())]), 2);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Error(Rejected rejected)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.Write(buffer, RespCommands.ErrorFor(rejected), 2);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
