using System.Buffers;
using System.Text;
using DistCache.Host.Resp;
using DistCache.Tests.Support;

namespace DistCache.Tests.Resp;

/// <summary>Inline commands split as Redis's sdssplitargs splits them, and the endpoint closing the
/// connection after "unbalanced quotes" as Redis does.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RespInlineSplitterTests(RespClusterFixture fixture)
{
    private static string[]? Split(string line)
    {
        var words = new List<(int Start, int Length)>();
        if (!RespInlineSplitter.TrySplit(Encoding.Latin1.GetBytes(line), out var data, words))
            return null;
        return words.Select(w => Encoding.Latin1.GetString(data, w.Start, w.Length)).ToArray();
    }

    [Theory]
    [InlineData("set k v", new[] { "set", "k", "v" })]
    [InlineData("  set   k\tv  ", new[] { "set", "k", "v" })]
    [InlineData("set \"a b\" 'c d'", new[] { "set", "a b", "c d" })]
    [InlineData("set \"\\n\\r\\t\\b\\a\\\\\\\"\\q\" v", new[] { "set", "\n\r\t\b\a\\\"q", "v" })]
    [InlineData("set \"\\x41\\x7a\\xff\" v", new[] { "set", "Az\u00ff", "v" })]
    [InlineData("set \"\\x4\" v", new[] { "set", "x4", "v" })]
    [InlineData("set 'it\\'s' 'a\\nb'", new[] { "set", "it's", "a\\nb" })]
    [InlineData("set a\"b c\" v", new[] { "set", "ab c", "v" })]
    [InlineData("set \"\" v", new[] { "set", "", "v" })]
    [InlineData("", new string[0])]
    public void Splits_like_sdssplitargs(string line, string[] expected) => Assert.Equal(expected, Split(line));

    [Theory]
    [InlineData("set \"\"\"k\"\"\" v")]
    [InlineData("set \"k v")]
    [InlineData("set 'k v")]
    [InlineData("set \"k\"v")]
    [InlineData("set 'k'v")]
    [InlineData("set \"k\\\"")]
    public void Unbalanced_quotes_fail_the_line(string line) => Assert.Null(Split(line));

    [Fact]
    public void The_parser_answers_unbalanced_quotes_as_a_protocol_error()
    {
        var parser = new RespParser(new RespLimits(1024, 100, 256, 4096));
        var args = new RespArgs();
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("set \"\"\"k\"\"\" v\r\n"));
        var outcome = parser.TryRead(ref buffer, args);
        Assert.Equal(new ParseOutcome(ParseStatus.ProtocolError, "ERR Protocol error: unbalanced quotes in request"), outcome);
        buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("set \"a b\" 'c'\r\nPING\r\n"));
        Assert.Equal(ParseStatus.Command, parser.TryRead(ref buffer, args).Status);
        Assert.Equal(["set", "a b", "c"], Enumerable.Range(0, args.Count).Select(args.Text));
        Assert.Equal(ParseStatus.Command, parser.TryRead(ref buffer, args).Status);
        Assert.Equal(["PING"], Enumerable.Range(0, args.Count).Select(args.Text));
    }

    [Fact]
    public async Task Quoted_inline_commands_work_and_unbalanced_quotes_close_the_connection()
    {
        using var socket = await RawSocket.OpenAsync(fixture.Servers[1].Port);
        var key = "inline:" + Guid.NewGuid().ToString("N")[..8];
        await socket.SendAsync(Encoding.ASCII.GetBytes($"set \"{key} x\" 'a b'\r\nget \"{key}\\x20x\"\r\n"));
        Assert.Equal("+OK\r\n$3\r\na b\r\n", await RawSocket.ReadAsync(socket, 14, TimeSpan.FromSeconds(30)));
        await socket.SendAsync(Encoding.ASCII.GetBytes("set \"\"\"k\"\"\" v\r\nPING\r\n"));
        const string error = "-ERR Protocol error: unbalanced quotes in request\r\n";
        // The error, then the close: the PING after it is never answered.
        Assert.Equal(error, await RawSocket.ReadAsync(socket, error.Length + 7, TimeSpan.FromSeconds(30)));
    }
}
