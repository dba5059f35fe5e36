using System.Text;
using DistCache.Actors.Cluster;
using DistCache.Actors.Gateway;
using DistCache.Host.Resp;
using DistCache.Host.Resp.Acl;
using DistCache.Protocol;

namespace DistCache.Tests.Resp.Acl;

/// <summary>Users of a users file on the command mapping, without a node: AUTH as a user, Redis's NOPERM
/// replies for commands and keys, whole-keyspace commands, @connection always allowed, ACL WHOAMI/CAT and RESET.</summary>
public sealed class RespAclTests
{
    private const string WrongPass = "WRONGPASS invalid username-password pair or user is disabled.";
    private const string NoKey = "NOPERM No permissions to access a key";

    private static readonly RespUsers Users = AclFileParser.Parse(
    [
        "user admin on >admin-pw +@all allkeys",
        "user app on >app-pw +@all -@dangerous ~app:*",
        "user ro on >ro-pw +@all -@write ~*",
        "user writer on >w-pw +@all %W~w:* %R~r:*",
        "user gone off >gone-pw +@all allkeys",
        "user locked on >l-pw -@all",
    ], "test");

    private readonly RespCommands _commands = new(
        () => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 1, TimeSpan.Zero), new RespSettings(null, 10), Users);

    private readonly RespSession _session = new(3);

    private RespPlan Map(params string[] words) => _commands.Map(RespArgs.Of(words), _session);

    private RespValue Reply(params string[] words) => Assert.IsType<Immediate>(Map(words)).Reply;

    private string Error(params string[] words) => Message(Reply(words));

    private static string Text(RespValue reply) => Encoding.UTF8.GetString(Assert.IsType<RespBulk>(reply).Data);

    private static string Message(RespValue reply) => Assert.IsType<RespError>(reply).Message;

    private void Auth(string user, string password) => Assert.Equal(RespValue.Ok, Reply("AUTH", user, password));

    [Fact]
    public void Without_a_default_user_in_the_file_nothing_runs_before_auth()
    {
        Assert.Equal("NOAUTH Authentication required.", Error("GET", "app:1"));
        Assert.Equal(WrongPass, Message(Assert.IsType<AuthFailed>(Map("AUTH", "admin-pw")).Reply));
        Auth("admin", "admin-pw");
        Assert.Equal("admin", _session.User);
        Assert.IsType<ClusterCall>(Map("FLUSHALL"));
    }

    [Fact]
    public void Sorted_set_commands_with_a_key_count_check_every_key_they_name()
    {
        Auth("app", "app-pw");
        Assert.IsType<ClusterCall>(Map("ZUNION", "2", "app:a", "app:b", "WITHSCORES"));
        Assert.Equal(NoKey, Error("ZUNION", "2", "app:a", "other:b"));
        Assert.Equal(NoKey, Error("ZINTERCARD", "2", "app:a", "other:b"));
        Assert.Equal(NoKey, Error("ZMPOP", "2", "app:a", "other:b", "MIN"));
        Assert.Equal(NoKey, Error("ZUNIONSTORE", "other:d", "1", "app:a"));
        Assert.Equal(NoKey, Error("ZDIFFSTORE", "app:d", "2", "app:a", "other:b"));
        Assert.IsType<ClusterCall>(Map("ZUNIONSTORE", "app:d", "1", "app:a"));
    }

    [Fact]
    public void A_user_without_write_gets_noperm_for_set()
    {
        Auth("ro", "ro-pw");
        Assert.Equal("NOPERM User ro has no permissions to run the 'set' command", Error("SET", "k", "v"));
        Assert.Equal("NOPERM User ro has no permissions to run the 'del' command", Error("del", "k"));
        Assert.IsType<ClusterCall>(Map("GET", "k"));
        Assert.IsType<ClusterCall>(Map("MGET", "a", "b"));
    }

    [Fact]
    public void A_user_with_key_patterns_gets_noperm_for_other_keys()
    {
        Auth("app", "app-pw");
        Assert.IsType<ClusterCall>(Map("GET", "app:1"));
        Assert.IsType<ClusterCall>(Map("SET", "app:1", "v"));
        Assert.Equal(NoKey, Error("GET", "other:k"));
        Assert.Equal(NoKey, Error("MGET", "app:1", "other:k"));
        Assert.Equal(NoKey, Error("MSET", "app:1", "v", "other:k", "v"));
        Assert.Equal(NoKey, Error("DEL", "app:1", "app:2", "other:k"));
        // MSET's values are not keys.
        Assert.IsType<ClusterCall>(Map("MSET", "app:1", "other:k", "app:2", "other:k"));
        Assert.Equal("NOPERM User app has no permissions to run the 'flushall' command", Error("FLUSHALL"));
        Assert.Equal("NOPERM User app has no permissions to run the 'info' command", Error("INFO"));
        Assert.Equal(NoKey, Error("DBSIZE"));
    }

    [Fact]
    public void Whole_keyspace_commands_need_allkeys()
    {
        Auth("writer", "w-pw");
        Assert.Equal(NoKey, Error("FLUSHALL"));
        Assert.Equal(NoKey, Error("FLUSHDB"));
        Assert.Equal(NoKey, Error("DBSIZE"));
        Auth("admin", "admin-pw");
        Assert.IsType<ClusterCall>(Map("DBSIZE"));
    }

    [Fact]
    public void Read_and_write_key_patterns_follow_what_the_command_does_to_its_key()
    {
        Auth("writer", "w-pw");
        Assert.IsType<ClusterCall>(Map("SET", "w:1", "v"));
        Assert.IsType<ClusterCall>(Map("DEL", "w:1"));
        Assert.IsType<ClusterCall>(Map("EXPIRE", "w:1", "10"));
        Assert.Equal(NoKey, Error("SET", "w:1", "v", "GET"));
        Assert.Equal(NoKey, Error("GET", "w:1"));
        Assert.Equal(NoKey, Error("INCR", "w:1"));
        Assert.IsType<ClusterCall>(Map("GET", "r:1"));
        Assert.IsType<ClusterCall>(Map("EXISTS", "r:1", "w:1"));
        Assert.Equal(NoKey, Error("SET", "r:1", "v"));
    }

    [Fact]
    public void Scan_lists_only_the_keys_of_the_users_patterns()
    {
        Auth("app", "app-pw");
        var call = Assert.IsType<ClusterCall>(Map("SCAN", "0", "COUNT", "100"));
        var reply = Assert.IsType<RespArray>(call.Answer([new KeyPage(["app:1", "other:1", "app:2", "secret:x"], "0")]));
        var keys = Assert.IsType<RespArray>(reply.Items[1]).Items.Select(k => Encoding.UTF8.GetString(((RespBulk)k).Data));
        Assert.Equal(["app:1", "app:2"], keys);
    }

    [Fact]
    public async Task Keys_lists_only_the_keys_of_the_users_patterns()
    {
        // KEYS is @dangerous, which the app user lacks; the writer has +@all and keys w:* (write) and r:* (read).
        Auth("writer", "w-pw");
        var steps = Assert.IsType<ClusterSteps>(Map("KEYS", "*"));
        var reply = Assert.IsType<RespArray>(await steps.Run(_ => Task.FromResult<ICacheReply>(
            new KeyPage(["w:1", "other:1", "r:2", "secret:x"], ScanCursor.Start))));
        Assert.Equal(["w:1", "r:2"], reply.Items.Select(k => Encoding.UTF8.GetString(((RespBulk)k).Data)));
    }

    [Fact]
    public async Task Randomkey_answers_only_a_key_the_user_may_read()
    {
        Auth("writer", "w-pw");
        var steps = Assert.IsType<ClusterSteps>(Map("RANDOMKEY"));
        // Write-only keys (%W~w:*) come up first: they are passed over for the readable one.
        var reply = await steps.Run(command => Task.FromResult<ICacheReply>(command is RandomKey
            ? new PartPage(["w:1", "r:2"], null)
            : new KeyPage([], ScanCursor.Start)));
        Assert.Equal("r:2", Text(reply));

        var scans = 0;
        var none = await steps.Run(command => Task.FromResult<ICacheReply>(command is RandomKey
            ? new PartPage(["w:1", "secret:x"], null)
            : new KeyPage(++scans == 1 ? ["w:2"] : [], scans == 1 ? "next" : ScanCursor.Start)));
        Assert.Equal(RespValue.Null, none);
        Assert.Equal(2, scans);
    }

    [Fact]
    public void Connection_commands_are_always_allowed()
    {
        Auth("locked", "l-pw");
        Assert.Equal("NOPERM User locked has no permissions to run the 'get' command", Error("GET", "k"));
        Assert.Equal(RespValue.Pong, Reply("PING"));
        Assert.IsType<RespArray>(Reply("COMMAND", "INFO", "get"));
        Assert.Equal(RespValue.Ok, Reply("CLIENT", "SETNAME", "x"));
        Assert.Equal(RespValue.Ok, Reply("SELECT", "0"));
        Assert.IsType<RespMap>(Reply("HELLO", "3"));
        Assert.Equal("NOPERM User locked has no permissions to run the 'acl' command", Error("ACL", "WHOAMI"));
    }

    [Fact]
    public void An_off_user_or_an_unknown_one_gets_the_same_wrongpass()
    {
        foreach (var (user, password) in new[] { ("gone", "gone-pw"), ("nobody", "x"), ("app", "ro-pw") })
        {
            Assert.Equal(WrongPass, Message(Assert.IsType<AuthFailed>(Map("AUTH", user, password)).Reply));
            Assert.Equal(WrongPass, Message(Assert.IsType<AuthFailed>(Map("HELLO", "3", "AUTH", user, password)).Reply));
        }
        Assert.Null(_session.User);
    }

    [Fact]
    public void Acl_whoami_and_cat()
    {
        Auth("app", "app-pw");
        Assert.Equal("app", Text(Reply("ACL", "WHOAMI")));
        var categories = Assert.IsType<RespArray>(Reply("acl", "cat")).Items;
        Assert.Contains("dangerous", categories.Select(Text));
        Assert.Equal(21, categories.Count);
        var dangerous = Assert.IsType<RespArray>(Reply("ACL", "CAT", "dangerous")).Items.Select(Text).Order();
        Assert.Equal(["config", "flushall", "flushdb", "info", "keys"], dangerous);
        Assert.Equal("ERR Unknown category 'nope'", Error("ACL", "CAT", "nope"));
        Assert.Equal("ERR unknown subcommand 'SETUSER'. Try ACL HELP.", Error("ACL", "SETUSER", "x"));
    }

    [Fact]
    public void Reset_logs_out_to_the_default_user_resp2_and_no_name()
    {
        Assert.IsType<RespMap>(Reply("HELLO", "3", "AUTH", "app", "app-pw", "SETNAME", "conn"));
        Assert.Equal((3, "conn", "app"), (_session.Protocol, _session.Name, _session.User));
        Assert.Equal(new RespSimple("RESET"), Reply("RESET"));
        Assert.Equal((2, (string?)null, (string?)null), (_session.Protocol, _session.Name, _session.User));
        Assert.Equal("NOAUTH Authentication required.", Error("GET", "app:1"));
        // RESET runs before AUTH too.
        Assert.Equal(new RespSimple("RESET"), Reply("RESET"));
    }

    [Fact]
    public void Without_a_users_file_reset_leaves_a_connection_the_open_default_user()
    {
        var open = new RespCommands(() => new RespNodeInfo("0.1.0", "a", 6379, 1, TimeSpan.Zero));
        var session = new RespSession(1);
        Assert.Equal(new RespSimple("RESET"), Assert.IsType<Immediate>(open.Map(RespArgs.Of("RESET"), session)).Reply);
        Assert.Equal("default", Text(Assert.IsType<Immediate>(open.Map(RespArgs.Of("ACL", "WHOAMI"), session)).Reply));
        Assert.IsType<ClusterCall>(open.Map(RespArgs.Of("FLUSHALL"), session));
    }
}
