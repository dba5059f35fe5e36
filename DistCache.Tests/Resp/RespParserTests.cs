using System.Buffers;
using System.Text;
using DistCache.Host.Resp;

namespace DistCache.Tests.Resp;

public sealed class RespParserTests
{
    private readonly RespParser _parser = new(new RespLimits(MaxBulkBytes: 1024, MaxArguments: 100, MaxInlineBytes: 256, MaxRequestBytes: 4096));

    private static ReadOnlySequence<byte> Bytes(string s) => new(Encoding.UTF8.GetBytes(s));

    private readonly RespArgs _args = new();

    private string[] Words(ParseOutcome outcome)
    {
        Assert.Equal(ParseStatus.Command, outcome.Status);
        return Enumerable.Range(0, _args.Count).Select(_args.Text).ToArray();
    }

    [Fact]
    public void Pipelined_arrays_of_bulk_strings_parse_one_after_another()
    {
        var buffer = Bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
        var first = _parser.TryRead(ref buffer, _args);
        Assert.Equal(ParseStatus.Command, first.Status);
        Assert.Equal(["SET", "k", "hello"], Words(first));
        var second = _parser.TryRead(ref buffer, _args);
        Assert.Equal(["GET", "k"], Words(second));
        Assert.Equal(0, buffer.Length);
        Assert.Equal(ParseStatus.Incomplete, _parser.TryRead(ref buffer, _args).Status);
    }

    [Fact]
    public void A_request_cut_anywhere_is_incomplete_and_leaves_the_buffer_as_it_was()
    {
        const string request = "*2\r\n$4\r\nECHO\r\n$12\r\nhello\r\nworld\r\n";
        for (var cut = 1; cut < request.Length; cut++)
        {
            var buffer = Bytes(request[..cut]);
            Assert.True(ParseStatus.Incomplete == _parser.TryRead(ref buffer, _args).Status, $"cut at {cut}: {request[..cut]}");
            Assert.Equal(cut, buffer.Length);
        }
        var whole = Bytes(request);
        Assert.Equal(["ECHO", "hello\r\nworld"], Words(_parser.TryRead(ref whole, _args)));
    }

    [Fact]
    public void A_request_split_over_segments_parses()
    {
        var first = new Segment(Encoding.UTF8.GetBytes("*2\r\n$3\r\nGE"));
        var last = first.Append(Encoding.UTF8.GetBytes("T\r\n$2\r\nab\r\n"));
        var buffer = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        Assert.Equal(["GET", "ab"], Words(_parser.TryRead(ref buffer, _args)));
    }

    [Fact]
    public void Inline_commands_split_on_spaces()
    {
        var buffer = Bytes("set  k v\r\nPING\n");
        Assert.Equal(["set", "k", "v"], Words(_parser.TryRead(ref buffer, _args)));
        Assert.Equal(["PING"], Words(_parser.TryRead(ref buffer, _args)));
    }

    [Theory]
    [InlineData("*101\r\n", "invalid multibulk length")]
    [InlineData("*abc\r\n", "invalid multibulk length")]
    [InlineData("*99999999999999999999999\r\n", "invalid multibulk length")]
    [InlineData("*1\r\n$1025\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$-5\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$-0\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$+3\r\nGET\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$03\r\nGET\r\n", "invalid bulk length")]
    [InlineData("*+1\r\n$3\r\nGET\r\n", "invalid multibulk length")]
    [InlineData("*1\r\n:5\r\n", "expected '$', got ':'")]
    [InlineData("*1\r\n$3\r\nGETXY", "bulk string not terminated by CRLF")]
    public void Malformed_requests_are_protocol_errors_before_anything_is_allocated(string request, string message)
    {
        var buffer = Bytes(request);
        var outcome = _parser.TryRead(ref buffer, _args);
        Assert.Equal(ParseStatus.ProtocolError, outcome.Status);
        Assert.Equal("ERR Protocol error: " + message, outcome.Error);
    }

    [Fact]
    public void Before_auth_requests_are_held_to_redis_limits_for_strangers()
    {
        // Each request on a parser of its own: an incomplete one is resumed by the next call.
        ParseOutcome Read(string request, bool unauthenticated = true)
        {
            var buffer = Bytes(request);
            return new RespParser(RespLimits.For(1 << 20)) { Unauthenticated = unauthenticated }.TryRead(ref buffer, _args);
        }
        Assert.Equal("ERR Protocol error: unauthenticated multibulk length", Read("*11\r\n").Error);
        Assert.Equal(ParseStatus.Incomplete, Read("*10\r\n").Status);
        Assert.Equal("ERR Protocol error: unauthenticated bulk length", Read("*2\r\n$4\r\nAUTH\r\n$16385\r\n").Error);
        Assert.Equal(ParseStatus.Incomplete, Read("*2\r\n$4\r\nAUTH\r\n$16384\r\n").Status);
        Assert.Equal(ParseStatus.Incomplete, Read("*11\r\n", unauthenticated: false).Status);
        Assert.Equal(ParseStatus.Incomplete, Read("*2\r\n$3\r\nSET\r\n$16385\r\n", unauthenticated: false).Status);
    }

    [Fact]
    public void A_dripped_request_costs_what_each_read_adds_not_what_is_buffered()
    {
        // 2,000 elements arriving one byte per read: re-reading from the start would read each element
        // header once per later byte (about 10^7 reads); resumed, a read tries the element in progress
        // once and each element completes once, so at most one read per byte and one per element.
        const int Elements = 2_000;
        var parser = new RespParser(RespLimits.For(1 << 20));
        var request = Encoding.ASCII.GetBytes("*" + Elements + "\r\n" + string.Concat(Enumerable.Repeat("$1\r\nx\r\n", Elements)));
        ParseOutcome outcome = default;
        for (var received = 1; received <= request.Length; received++)
        {
            var buffer = new ReadOnlySequence<byte>(request, 0, received);
            outcome = parser.TryRead(ref buffer, _args);
            Assert.Equal(received == request.Length ? ParseStatus.Command : ParseStatus.Incomplete, outcome.Status);
        }
        Assert.Equal(Elements, _args.Count);
        Assert.True(parser.ElementsRead <= request.Length + Elements, $"{parser.ElementsRead} element reads for {request.Length} bytes");

        // The same for an inline line: the search for its end goes on from where it stopped.
        var line = Encoding.ASCII.GetBytes("SET k " + new string('v', 200) + "\r\n");
        var inline = new RespParser(new RespLimits(MaxBulkBytes: 1024, MaxArguments: 100, MaxInlineBytes: 256, MaxRequestBytes: 4096));
        for (var received = 1; received < line.Length; received++)
        {
            var part = new ReadOnlySequence<byte>(line, 0, received);
            Assert.Equal(ParseStatus.Incomplete, inline.TryRead(ref part, _args).Status);
        }
        var whole = new ReadOnlySequence<byte>(line);
        Assert.Equal(["SET", "k", new string('v', 200)], Words(inline.TryRead(ref whole, _args)));
    }

    [Fact]
    public void An_inline_line_over_the_limit_is_refused_even_without_its_end()
    {
        var buffer = Bytes(new string('a', 300));
        Assert.Equal(ParseStatus.ProtocolError, _parser.TryRead(ref buffer, _args).Status);
    }

    [Fact]
    public void Arguments_stay_where_they_arrived_until_asked_for()
    {
        var buffer = Bytes("*4\r\n$3\r\nsEt\r\n$3\r\nkey\r\n$2\r\n-7\r\n$2\r\n+7\r\n");
        _parser.TryRead(ref buffer, _args);
        Assert.Equal(4, _args.Count);
        Assert.Same("SET", _args.Word(0)); // the shared name, found on the bytes
        Assert.Null(_args.Word(1));
        Assert.True(_args.TryInteger(2, out var n));
        Assert.Equal(-7, n);
        Assert.False(_args.TryInteger(3, out _)); // Redis refuses a plus sign
        Assert.Equal("key"u8.ToArray(), _args.Bytes(1));
    }

    [Theory]
    [InlineData("get", "GET")]
    [InlineData("PexpireAT", "PEXPIREAT")]
    [InlineData("keepttl", "KEEPTTL")]
    [InlineData("GETT", null)]
    [InlineData("gét", null)]
    [InlineData("", null)]
    [InlineData("AVERYLONGCOMMANDNAMEOVERTHELIMIT", null)]
    public void Command_and_option_words_are_found_case_insensitively_on_the_bytes(string word, string? expected) =>
        Assert.Equal(expected, RespWords.Find(Encoding.UTF8.GetBytes(word)));

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) => Memory = data;

        public Segment Append(byte[] data)
        {
            var next = new Segment(data) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
