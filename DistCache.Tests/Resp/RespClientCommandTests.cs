using System.Net;
using System.Text;
using DistCache.Host.Resp;
using DistCache.Host.Resp.Acl;

namespace DistCache.Tests.Resp;

/// <summary>CLIENT LIST/INFO/KILL/REPLY over a registry of connections, without sockets: Redis 7.2's line,
/// its filters and errors, and who gets closed.</summary>
public sealed class RespClientCommandTests
{
    private readonly RespClients _clients = new();
    private readonly List<long> _closed = [];
    private readonly RespSession _me;
    private readonly RespSession _other;
    private readonly RespClientCommand _command;

    public RespClientCommandTests()
    {
        _me = Connect(1, 50001, "me");
        _other = Connect(2, 50002, "other");
        _command = new RespClientCommand(_clients);
    }

    private RespSession Connect(long id, int port, string? name)
    {
        var session = new RespSession(id) { Name = name };
        var client = new RespClient(session, new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.Loopback, 6379), -1,
            () => _closed.Add(id), Environment.TickCount64);
        _clients.Add(client);
        return session;
    }

    private RespPlan Plan(params string[] words) => _command.Reply(RespArgs.Of(words), _me);

    private RespValue Reply(params string[] words) => Assert.IsType<Immediate>(Plan(words)).Reply;

    private string Text(params string[] words) => Encoding.UTF8.GetString(Assert.IsType<RespVerbatim>(Reply(words)).Data);

    private string Error(params string[] words) => Assert.IsType<RespError>(Reply(words)).Message;

    [Fact]
    public void A_line_has_redis_fields_in_redis_order()
    {
        var line = RespClientLine.Format(new RespClientView(7, "127.0.0.1:50001", "127.0.0.1:6379", -1, "app", 12, 3, "client|list", "default", 3));
        Assert.Equal(
            "id=7 addr=127.0.0.1:50001 laddr=127.0.0.1:6379 fd=-1 name=app age=12 idle=3 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 " +
            "qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=client|list user=default " +
            "redir=-1 resp=3 lib-name= lib-ver=", line);
    }

    [Fact]
    public void A_subscribed_connection_shows_flag_p_and_its_counts_and_is_of_type_pubsub()
    {
        _other.Subscriptions.Channels.Add("a");
        _other.Subscriptions.Channels.Add("b");
        _other.Subscriptions.Patterns.Add("n*");
        _other.Subscriptions.ShardChannels.Add("s");

        Assert.Contains(" flags=P db=0 sub=2 psub=1 ssub=1 multi=-1 ", Text("CLIENT", "LIST", "ID", "2"));
        Assert.StartsWith("id=2 ", Assert.Single(Text("CLIENT", "LIST", "TYPE", "pubsub").Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.StartsWith("id=1 ", Text("CLIENT", "LIST", "TYPE", "normal"));

        _other.Transaction.Begin();
        Assert.Contains(" flags=xP ", Text("CLIENT", "LIST", "ID", "2"));
    }

    [Fact]
    public void A_connection_inside_multi_shows_flag_x_and_how_many_commands_it_queued()
    {
        var transaction = _other.Transaction;
        string Line() => Text("CLIENT", "LIST", "ID", "2");

        transaction.Begin();
        Assert.Contains(" flags=x db=0 sub=0 psub=0 ssub=0 multi=0 ", Line());
        transaction.Add(new RespTransaction.Queued(RespValue.Ok, [], null));
        transaction.Add(new RespTransaction.Queued(RespValue.Ok, [], null));
        Assert.Contains(" flags=x db=0 sub=0 psub=0 ssub=0 multi=2 ", Line());
        Assert.Contains(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 ", Text("CLIENT", "INFO"));
        transaction.Reset();
        Assert.Contains(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 ", Line());
    }

    [Fact]
    public void List_shows_every_connection_by_id_and_filters_by_id_and_type()
    {
        var all = Text("CLIENT", "LIST").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, all.Length);
        Assert.StartsWith("id=1 addr=127.0.0.1:50001 laddr=127.0.0.1:6379 fd=-1 name=me ", all[0]);
        Assert.StartsWith("id=2 addr=127.0.0.1:50002 ", all[1]);
        Assert.EndsWith("\n", Text("CLIENT", "LIST"));
        Assert.StartsWith("id=2 ", Text("CLIENT", "LIST", "ID", "2", "99"));
        Assert.Equal("", Text("CLIENT", "LIST", "ID", "99"));
        Assert.Equal(2, Text("CLIENT", "list", "type", "NORMAL").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("", Text("CLIENT", "LIST", "TYPE", "pubsub"));
        Assert.Equal("ERR Unknown client type 'x'", Error("CLIENT", "LIST", "TYPE", "x"));
        Assert.Equal("ERR Invalid client ID", Error("CLIENT", "LIST", "ID", "x"));
        Assert.Equal("ERR syntax error", Error("CLIENT", "LIST", "x"));
    }

    [Fact]
    public void Info_is_the_asking_connection_line()
    {
        var info = Text("CLIENT", "INFO");
        Assert.StartsWith("id=1 addr=127.0.0.1:50001 ", info);
        Assert.Contains(" name=me ", info);
        Assert.EndsWith(" resp=2 lib-name= lib-ver=\n", info);
    }

    [Fact]
    public void Kill_by_address_in_the_old_form_closes_that_connection()
    {
        Assert.Equal("ERR No such client", Error("CLIENT", "KILL", "127.0.0.1:1"));
        Assert.Equal(RespValue.Ok, Reply("CLIENT", "KILL", "127.0.0.1:50002"));
        Assert.Equal([2L], _closed);
        // Itself: answered, then closed.
        Assert.Equal(RespValue.Ok, Assert.IsType<ReplyThenClose>(Plan("CLIENT", "KILL", "127.0.0.1:50001")).Reply);
        Assert.Equal([2L], _closed);
    }

    [Fact]
    public void Kill_with_filters_counts_the_closed_connections_and_spares_the_asker_by_default()
    {
        Assert.Equal(new RespInteger(1), Reply("CLIENT", "KILL", "USER", "default"));
        Assert.Equal([2L], _closed);
        Assert.Equal(new RespInteger(0), Reply("CLIENT", "KILL", "ID", "1"));
        Assert.Equal(new RespInteger(1), Assert.IsType<ReplyThenClose>(Plan("CLIENT", "KILL", "ID", "1", "SKIPME", "no")).Reply);
        Assert.Equal(new RespInteger(0), Reply("CLIENT", "KILL", "ADDR", "127.0.0.1:50002", "LADDR", "127.0.0.1:1"));
        Assert.Equal(new RespInteger(0), Reply("CLIENT", "KILL", "TYPE", "master"));
    }

    [Theory]
    [InlineData("ERR client-id should be greater than 0", "ID", "0")]
    [InlineData("ERR client-id should be greater than 0", "ID", "x")]
    [InlineData("ERR Unknown client type 'x'", "TYPE", "x")]
    [InlineData("ERR syntax error", "SKIPME", "maybe")]
    [InlineData("ERR syntax error", "ID", "1", "SKIPME")]
    [InlineData("ERR syntax error", "NOPE", "1")]
    public void Kill_rejects_bad_filters_as_redis(string expected, params string[] filter)
    {
        Assert.Equal(expected, Error(["CLIENT", "KILL", .. filter]));
        Assert.Empty(_closed);
    }

    [Fact]
    public void Reply_off_and_skip_silence_replies_and_on_restores_them()
    {
        var replies = _me.Replies;
        Assert.False(replies.Silences(replies.TakeSkip()));

        // CLIENT REPLY SKIP: itself and the next command are silent, the one after is not.
        Assert.Equal(RespValue.Ok, Reply("CLIENT", "REPLY", "SKIP"));
        Assert.True(replies.Silences(false));
        Assert.True(replies.Silences(replies.TakeSkip()));
        Assert.False(replies.Silences(replies.TakeSkip()));

        // OFF silences itself and everything after, until ON (which is answered).
        Reply("CLIENT", "REPLY", "OFF");
        Assert.True(replies.Silences(replies.TakeSkip()));
        Assert.True(replies.Silences(replies.TakeSkip()));
        Reply("CLIENT", "REPLY", "ON");
        Assert.False(replies.Silences(false));
        Assert.Equal("ERR syntax error", Error("CLIENT", "REPLY", "MAYBE"));

        // RESET turns replies back on, as in Redis.
        Reply("CLIENT", "REPLY", "OFF");
        RespAuthenticator.ResetSession(_me);
        Assert.False(replies.Silences(replies.TakeSkip()));
    }

    [Fact]
    public void Setinfo_names_the_library_in_the_line_and_refuses_what_would_break_it()
    {
        Assert.Equal(RespValue.Ok, RespClientCommand.SetInfo(RespArgs.Of("CLIENT", "SETINFO", "lib-name", "SE.Redis"), _me));
        Assert.Equal(RespValue.Ok, RespClientCommand.SetInfo(RespArgs.Of("CLIENT", "SETINFO", "LIB-VER", "2.8.0"), _me));
        Assert.EndsWith(" lib-name=SE.Redis lib-ver=2.8.0\n", Text("CLIENT", "INFO"));
        Assert.Equal("ERR Unrecognized option 'lib-x'",
            Assert.IsType<RespError>(RespClientCommand.SetInfo(RespArgs.Of("CLIENT", "SETINFO", "lib-x", "a"), _me)).Message);
        Assert.Equal("ERR lib-name cannot contain spaces, newlines or special characters.",
            Assert.IsType<RespError>(RespClientCommand.SetInfo(RespArgs.Of("CLIENT", "SETINFO", "lib-name", "a b"), _me)).Message);
        Assert.Equal("SE.Redis", _me.LibName);
    }

    [Fact]
    public void Only_a_user_who_may_administer_lists_or_kills_other_connections()
    {
        var users = AclFileParser.Parse(["user admin on >a +@all allkeys", "user app on >b +@all -@dangerous ~app:*"], "test");
        var app = users.Find("app")!;
        var denied = Assert.IsType<RespError>(Assert.IsType<Immediate>(_command.Reply(RespArgs.Of("CLIENT", "KILL", "ID", "2"), _me, app)).Reply);
        Assert.Equal("NOPERM User app has no permissions to run the 'client|kill' command", denied.Message);
        Assert.Equal("NOPERM User app has no permissions to run the 'client|list' command",
            Assert.IsType<RespError>(Assert.IsType<Immediate>(_command.Reply(RespArgs.Of("CLIENT", "LIST"), _me, app)).Reply).Message);
        Assert.Empty(_closed);
        // Its own connection stays its own business.
        Assert.IsType<RespVerbatim>(Assert.IsType<Immediate>(_command.Reply(RespArgs.Of("CLIENT", "INFO"), _me, app)).Reply);
        Assert.Equal(new RespInteger(1), Assert.IsType<Immediate>(_command.Reply(RespArgs.Of("CLIENT", "KILL", "ID", "2"), _me, users.Find("admin"))).Reply);
        Assert.Equal([2L], _closed);
    }

    [Fact]
    public void Kill_user_of_an_unknown_user_is_an_error_as_in_redis()
    {
        Assert.Equal("ERR No such user 'unknown'", Error("CLIENT", "KILL", "USER", "unknown"));
        Assert.Equal("ERR No such user 'unknown'", Error("CLIENT", "KILL", "ID", "2", "USER", "unknown"));
        Assert.Empty(_closed);

        // With a users file, its users (a disabled one too) are known, and only they.
        var users = AclFileParser.Parse(["user admin on >a +@all allkeys", "user off off >c +@all"], "test");
        RespValue KillUser(string name) =>
            Assert.IsType<Immediate>(_command.Reply(RespArgs.Of("CLIENT", "KILL", "USER", name), _me, users.Find("admin"), n => users.Find(n) is not null)).Reply;
        Assert.Equal(new RespInteger(0), KillUser("off"));
        Assert.Equal(new RespInteger(0), KillUser("admin"));
        Assert.Equal("ERR No such user 'default'", Assert.IsType<RespError>(KillUser("default")).Message);
        Assert.Empty(_closed);
    }

    [Fact]
    public void No_evict_and_no_touch_are_accepted()
    {
        Assert.Equal(RespValue.Ok, Reply("CLIENT", "NO-EVICT", "on"));
        Assert.Equal(RespValue.Ok, Reply("CLIENT", "NO-TOUCH", "OFF"));
        Assert.Equal("ERR syntax error", Error("CLIENT", "NO-EVICT", "x"));
        Assert.Equal("ERR unknown subcommand or wrong number of arguments for 'NOPE'. Try CLIENT HELP.", Error("CLIENT", "NOPE"));
    }

    [Fact]
    public void Cmd_shows_the_last_command_and_a_container_subcommand_only_when_it_is_a_word()
    {
        var client = _clients.Find(1)!;
        client.Started(RespArgs.Of("get", "k"), Environment.TickCount64);
        Assert.Equal("get", client.View(Environment.TickCount64).Command);
        client.Started(RespArgs.Of("client", "list"), Environment.TickCount64);
        Assert.Equal("client|list", client.View(Environment.TickCount64).Command);
        client.Started(RespArgs.Of("CLIENT", "a b=c\n"), Environment.TickCount64);
        Assert.Equal("client", client.View(Environment.TickCount64).Command);
        client.Started(RespArgs.Of("nosuch", "x"), Environment.TickCount64);
        Assert.Equal("client", client.View(Environment.TickCount64).Command);
    }
}
