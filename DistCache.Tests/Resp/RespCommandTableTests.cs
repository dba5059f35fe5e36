using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using DistCache.Host.Resp;

namespace DistCache.Tests.Resp;

/// <summary>The command table and the dispatcher agree (every row has a handler, every handler a row),
/// arity comes from the table, and COMMAND answers from it in Redis 7's shapes, RESP2 and RESP3.</summary>
public sealed class RespCommandTableTests
{
    private readonly RespCommands _commands =
        new(() => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 1, TimeSpan.Zero));

    private RespPlan Map(params string[] words) => _commands.Map(RespArgs.Of(words), new RespSession(1));

    private RespValue Reply(params string[] words) => Assert.IsType<Immediate>(Map(words)).Reply;

    private static string Wire(RespValue value, int protocol)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.Write(buffer, value, protocol);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Every_row_of_the_table_reaches_a_handler()
    {
        foreach (var command in RespCommandTable.All)
        {
            // As many arguments as the arity asks for; a handler may still refuse them, but as itself.
            var words = new[] { command.Name }.Concat(Enumerable.Repeat("x", Math.Abs(command.Arity) - 1)).ToArray();
            Assert.True(command.AcceptsArgCount(words.Length), command.Name);
            if (Map(words) is Immediate { Reply: RespError error })
            {
                Assert.DoesNotContain("has no handler", error.Message);
                Assert.DoesNotContain("unknown command", error.Message);
                Assert.NotEqual($"ERR wrong number of arguments for '{command.Name.ToLowerInvariant()}' command", error.Message);
            }
        }
    }

    [Fact]
    public void Every_command_the_dispatcher_handles_is_a_row_of_the_table()
    {
        // The cases of RespCommands.Map's switch, read from its source: a case without a row could never
        // run (the table is looked up first), which is the drift this catches.
        var source = File.ReadAllText(SourceFile("DistCache.Host/Resp/RespCommands.cs"));
        var map = source[source.IndexOf("public RespPlan Map(", StringComparison.Ordinal)..source.IndexOf("has no handler", StringComparison.Ordinal)];
        var handled = Regex.Matches(map, @"^\s+(""[A-Z]+""(?:\s+or\s+""[A-Z]+"")*)\s+=>", RegexOptions.Multiline)
            .SelectMany(m => Regex.Matches(m.Groups[1].Value, "\"([A-Z]+)\"").Select(n => n.Groups[1].Value))
            .ToHashSet();
        Assert.True(handled.Count > 30, $"found only {handled.Count} cases in RespCommands.Map");
        Assert.Equal(RespCommandTable.All.Select(c => c.Name).Order(), handled.Order());
        Assert.Equal(RespCommandTable.All.Select(c => c.Name).Order(), RespCommands.Supported.Order());
    }

    [Theory]
    [InlineData("BITOP", "AND", "d", "s")]
    [InlineData("XREAD", "STREAMS", "s", "0")]
    [InlineData("XADD", "s", "*", "f", "v")]
    [InlineData("NX")]
    [InlineData("COUNT")]
    public void A_name_outside_the_table_is_an_unknown_command(params string[] words) =>
        Assert.StartsWith($"ERR unknown command '{words[0]}', with args beginning with: ", Assert.IsType<RespError>(Reply(words)).Message);

    [Theory]
    [InlineData("ERR wrong number of arguments for 'get' command", "GET")]
    [InlineData("ERR wrong number of arguments for 'get' command", "GET", "a", "b")]
    [InlineData("ERR wrong number of arguments for 'set' command", "SET", "k")]
    [InlineData("ERR wrong number of arguments for 'mset' command", "MSET", "k")]
    [InlineData("ERR wrong number of arguments for 'dbsize' command", "DBSIZE", "x")]
    [InlineData("ERR wrong number of arguments for 'reset' command", "RESET", "x")]
    [InlineData("ERR wrong number of arguments for 'config' command", "CONFIG")]
    [InlineData("ERR wrong number of arguments for 'expire' command", "expire", "k")]
    public void Arity_comes_from_the_table(string expected, params string[] words) =>
        Assert.Equal(expected, Assert.IsType<RespError>(Reply(words)).Message);

    [Fact]
    public void Key_positions_follow_first_last_and_step()
    {
        Assert.Equal([1], RespCommandTable.Find("get")!.KeyPositions(2));
        Assert.Equal([1, 2, 3], RespCommandTable.Find("DEL")!.KeyPositions(4));
        Assert.Equal([1, 3, 5], RespCommandTable.Find("MSET")!.KeyPositions(7));
        Assert.Empty(RespCommandTable.Find("PING")!.KeyPositions(2));
        Assert.Equal([1, 2], RespCommandTable.Find("RENAME")!.KeyPositions(3));
        Assert.Null(RespCommandTable.Find("BITOP"));
    }

    [Fact]
    public void Command_count_and_list_come_from_the_table()
    {
        Assert.Equal(new RespInteger(RespCommandTable.All.Count), Reply("COMMAND", "COUNT"));
        var list = Assert.IsType<RespArray>(Reply("command", "list")).Items.Select(Text).ToArray();
        Assert.Equal(RespCommandTable.All.Select(c => c.Name.ToLowerInvariant()), list);
        Assert.Contains("get", list);
        Assert.Contains("acl", list);

        var dangerous = Assert.IsType<RespArray>(Reply("COMMAND", "LIST", "FILTERBY", "ACLCAT", "dangerous")).Items.Select(Text).Order();
        Assert.Equal(["config", "flushall", "flushdb", "info", "keys"], dangerous);
        var patterned = Assert.IsType<RespArray>(Reply("COMMAND", "LIST", "FILTERBY", "PATTERN", "*expire*")).Items.Select(Text).Order();
        Assert.Equal(["expire", "expireat", "expiretime", "pexpire", "pexpireat", "pexpiretime"], patterned);
        Assert.Empty(Assert.IsType<RespArray>(Reply("COMMAND", "LIST", "FILTERBY", "MODULE", "json")).Items);
        Assert.Equal("ERR syntax error", Assert.IsType<RespError>(Reply("COMMAND", "LIST", "FILTERBY", "COLOR", "red")).Message);
        Assert.Equal("ERR unknown subcommand 'NOPE'. Try COMMAND HELP.", Assert.IsType<RespError>(Reply("COMMAND", "NOPE")).Message);
    }

    [Fact]
    public void Command_info_has_redis_7s_shape_in_resp2_and_resp3()
    {
        var info = Reply("COMMAND", "INFO", "get", "nosuch", "mset");
        const string get =
            "$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n" +
            "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+ACCESS\r\n" +
            "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n" +
            "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n" +
            "*0\r\n";
        var resp2 = Wire(info, 2);
        Assert.StartsWith("*3\r\n*10\r\n" + get + "$-1\r\n*10\r\n$4\r\nmset\r\n:-3\r\n", resp2);
        Assert.Contains("$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n", resp2);

        var resp3 = Wire(Reply("COMMAND", "INFO", "get"), 3);
        Assert.StartsWith("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+ACCESS\r\n", resp3);

        var all = Assert.IsType<RespArray>(Reply("COMMAND"));
        Assert.Equal(RespCommandTable.All.Count, all.Items.Count);
        var ping = Assert.IsType<RespArray>(all.Items[RespCommandTable.Find("PING")!.Index]);
        Assert.Equal("ping", Text(ping.Items[0]));
        Assert.Equal(new RespInteger(-1), ping.Items[1]);
        Assert.Empty(Assert.IsType<RespArray>(ping.Items[8]).Items);
    }

    [Fact]
    public void Command_docs_gives_summary_since_and_group()
    {
        var docs = Assert.IsType<RespMap>(Reply("COMMAND", "DOCS", "set", "nosuch"));
        var (name, doc) = Assert.Single(docs.Entries);
        Assert.Equal("set", Text(name));
        var fields = Assert.IsType<RespMap>(doc).Entries.ToDictionary(e => Text(e.Key), e => Text(e.Value));
        Assert.Equal("string", fields["group"]);
        Assert.Equal("1.0.0", fields["since"]);
        Assert.StartsWith("Sets the string value of a key", fields["summary"]);
        Assert.Equal(RespCommandTable.All.Count, Assert.IsType<RespMap>(Reply("COMMAND", "DOCS")).Entries.Count);
    }

    [Theory]
    [InlineData(new[] { "GET", "k" }, new[] { "k" })]
    [InlineData(new[] { "set", "k", "v", "EX", "10" }, new[] { "k" })]
    [InlineData(new[] { "MSET", "a", "1", "b", "2" }, new[] { "a", "b" })]
    [InlineData(new[] { "DEL", "a", "b", "c" }, new[] { "a", "b", "c" })]
    public void Command_getkeys_finds_the_keys_by_the_table(string[] request, string[] keys) =>
        Assert.Equal(keys, Assert.IsType<RespArray>(Reply(["COMMAND", "GETKEYS", .. request])).Items.Select(Text));

    [Theory]
    [InlineData("ERR Invalid command specified", "NOSUCH", "k")]
    [InlineData("ERR Invalid number of arguments specified for command", "GET")]
    [InlineData("ERR The command has no key arguments", "PING")]
    [InlineData("ERR wrong number of arguments for 'command|getkeys' command")]
    public void Command_getkeys_refuses_as_redis_does(string expected, params string[] request) =>
        Assert.Equal(expected, Assert.IsType<RespError>(Reply(["COMMAND", "GETKEYS", .. request])).Message);

    private static string Text(RespValue value) => value switch
    {
        RespBulk bulk => Encoding.UTF8.GetString(bulk.Data),
        RespVerbatim verbatim => Encoding.UTF8.GetString(verbatim.Data),
        RespSimple simple => simple.Text,
        _ => throw new InvalidOperationException($"not text: {value}"),
    };

    private static string SourceFile(string relative)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relative);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
