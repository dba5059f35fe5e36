using System.Net;
using System.Text;
using DistCache.Actors.Cluster;
using DistCache.Actors.Monitoring;
using DistCache.Host.Resp;
using DistCache.Protocol;
using DistCache.Tests.Support;

namespace DistCache.Tests.Resp;

/// <summary>Redis's requirepass semantics on the command mapping, without a node: what runs before AUTH,
/// AUTH and HELLO … AUTH with Redis's exact replies, and the failure limit.</summary>
public sealed class RespAuthenticationTests
{
    private const string NoAuth = "NOAUTH Authentication required.";
    private const string WrongPass = "WRONGPASS invalid username-password pair or user is disabled.";
    private const string HelloNoAuth =
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option " +
        "can be used to authenticate the client and select the RESP protocol version at the same time";

    private readonly RespSession _session = new(7);

    private static RespCommands Commands(string? password, int maxFailures = 10) => new(
        () => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 1, TimeSpan.Zero),
        new RespSettings(password is null ? null : RespPassword.Of(Encoding.UTF8.GetBytes(password)), maxFailures));

    private readonly RespCommands _locked = Commands("s3cret");

    private RespPlan Map(RespCommands commands, params string[] words) => commands.Map(RespArgs.Of(words), _session);

    private RespValue Reply(RespCommands commands, params string[] words) => Assert.IsType<Immediate>(Map(commands, words)).Reply;

    private static string Error(RespValue reply) => Assert.IsType<RespError>(reply).Message;

    private string FailureOf(RespCommands commands, params string[] words) => Error(Assert.IsType<AuthFailed>(Map(commands, words)).Reply);

    [Theory]
    [InlineData("PING")]
    [InlineData("GET", "k")]
    [InlineData("SET", "k", "v")]
    [InlineData("CLIENT", "INFO")]
    [InlineData("CONFIG", "GET", "requirepass")]
    [InlineData("INFO")]
    [InlineData("NOSUCH", "x")]
    [InlineData("GET")]
    public void Before_auth_every_other_command_gets_noauth(params string[] words) =>
        Assert.Equal(NoAuth, Error(Reply(_locked, words)));

    [Fact]
    public void Quit_runs_before_auth() => Assert.IsType<Quit>(Map(_locked, "QUIT"));

    [Fact]
    public void Auth_with_the_password_or_as_default_lets_every_command_through()
    {
        Assert.Equal(RespValue.Ok, Reply(_locked, "AUTH", "s3cret"));
        Assert.Equal("default", _session.User);
        Assert.Equal(RespValue.Pong, Reply(_locked, "PING"));
        Assert.IsType<ClusterCall>(Map(_locked, "GET", "k"));

        var other = new RespSession(8);
        Assert.Equal(RespValue.Ok, Assert.IsType<Immediate>(_locked.Map(RespArgs.Of("auth", "default", "s3cret"), other)).Reply);
        Assert.Equal(RespValue.Pong, Assert.IsType<Immediate>(_locked.Map(RespArgs.Of("PING"), other)).Reply);
    }

    [Theory]
    [InlineData("AUTH", "wrong")]
    [InlineData("AUTH", "default", "wrong")]
    [InlineData("AUTH", "alice", "s3cret")]
    [InlineData("AUTH", "DEFAULT", "s3cret")]
    [InlineData("AUTH", "S3CRET")]
    public void A_wrong_password_or_unknown_user_gets_the_same_wrongpass(params string[] words)
    {
        Assert.Equal(WrongPass, FailureOf(_locked, words));
        Assert.Null(_session.User);
        Assert.Equal(NoAuth, Error(Reply(_locked, "PING")));
    }

    [Fact]
    public void Auth_arity_and_syntax_come_before_the_password()
    {
        Assert.Equal("ERR wrong number of arguments for 'auth' command", Error(Reply(_locked, "AUTH")));
        Assert.Equal("ERR syntax error", Error(Reply(_locked, "AUTH", "default", "s3cret", "extra")));
        Assert.Equal(0, _session.AuthFailures);
    }

    [Fact]
    public void A_failed_auth_after_a_good_one_leaves_the_connection_authenticated()
    {
        Assert.Equal(RespValue.Ok, Reply(_locked, "AUTH", "s3cret"));
        Assert.Equal(WrongPass, FailureOf(_locked, "AUTH", "default", "nope"));
        Assert.Equal(RespValue.Pong, Reply(_locked, "PING"));
    }

    [Fact]
    public void The_failure_that_reaches_the_limit_closes_the_connection_after_its_reply()
    {
        var commands = Commands("s3cret", maxFailures: 3);
        var first = Assert.IsType<AuthFailed>(Map(commands, "AUTH", "a"));
        var second = Assert.IsType<AuthFailed>(Map(commands, "HELLO", "3", "AUTH", "default", "b"));
        var third = Assert.IsType<AuthFailed>(Map(commands, "AUTH", "mallory", "c"));
        Assert.Equal(new[] { false, false, true }, new[] { first.Close, second.Close, third.Close });
        Assert.Equal(new[] { "default", "default", "mallory" }, new[] { first.User, second.User, third.User });
        Assert.Equal(WrongPass, Error(third.Reply));
    }

    [Fact]
    public void A_user_name_is_made_safe_to_log()
    {
        var failed = Assert.IsType<AuthFailed>(Map(_locked, "AUTH", "evil\r\nname " + new string('x', 100), "pw"));
        Assert.Equal(64, failed.User.Length);
        Assert.StartsWith("evil??name?xxx", failed.User);
    }

    [Fact]
    public void Hello_without_auth_is_refused_before_auth_and_applies_nothing()
    {
        Assert.Equal(HelloNoAuth, Error(Reply(_locked, "HELLO", "3", "SETNAME", "app")));
        Assert.Equal(HelloNoAuth, Error(Reply(_locked, "HELLO")));
        Assert.Equal((2, (string?)null), (_session.Protocol, _session.Name));
    }

    [Fact]
    public void Hello_checks_the_version_first_then_the_credentials()
    {
        Assert.Equal("NOPROTO unsupported protocol version", Error(Reply(_locked, "HELLO", "4", "AUTH", "default", "s3cret")));
        Assert.Null(_session.User);

        Assert.Equal(WrongPass, FailureOf(_locked, "HELLO", "3", "AUTH", "default", "bad", "SETNAME", "x"));
        Assert.Equal((2, (string?)null, (string?)null), (_session.Protocol, _session.Name, _session.User));

        var hello = Assert.IsType<RespMap>(Reply(_locked, "HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "app"));
        Assert.Contains(hello.Entries, e => e.Key is RespBulk { Data: var key } && Encoding.UTF8.GetString(key) == "proto" && e.Value == new RespInteger(3));
        Assert.Equal((3, "app", "default"), (_session.Protocol, _session.Name, _session.User));
    }

    [Fact]
    public void Without_a_password_auth_says_none_is_configured_and_the_default_user_needs_none()
    {
        var open = Commands(null);
        Assert.Equal(RespValue.Pong, Reply(open, "PING"));
        Assert.Equal(
            "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
            Error(Reply(open, "AUTH", "x")));
        Assert.Equal(RespValue.Ok, Reply(open, "AUTH", "default", "anything"));
        Assert.IsType<RespMap>(Reply(open, "HELLO", "3", "AUTH", "default", "x"));
        Assert.Equal(3, _session.Protocol);
        Assert.Equal(WrongPass, FailureOf(open, "AUTH", "alice", "x"));
    }

    [Fact]
    public void The_password_is_in_no_reply_after_auth()
    {
        Assert.Equal(RespValue.Ok, Reply(_locked, "AUTH", "s3cret"));
        var info = Encoding.UTF8.GetString(Assert.IsType<RespVerbatim>(Reply(_locked, "CLIENT", "INFO")).Data);
        Assert.Contains("user=default", info);
        Assert.DoesNotContain("s3cret", info);
        // Redis would answer the password here; DistCache answers the name with an empty value.
        var requirepass = Assert.Single(Assert.IsType<RespMap>(Reply(_locked, "CONFIG", "GET", "requirepass")).Entries);
        Assert.Equal("", Encoding.UTF8.GetString(Assert.IsType<RespBulk>(requirepass.Value).Data));
        var infoCall = Assert.IsType<ClusterCall>(Map(_locked, "INFO"));
        Assert.DoesNotContain("s3cret", Encoding.UTF8.GetString(Assert.IsType<RespVerbatim>(infoCall.Answer([new KeyCount(0, 0)])).Data));
        Assert.DoesNotContain("s3cret", Error(Reply(_locked, "HELLO", "3", "AUTH", "default", "s3cret", "BOGUS")));
    }

    [Fact]
    public void A_password_matches_only_itself_and_does_not_print()
    {
        var password = RespPassword.Of("s3cret"u8);
        Assert.True(password.Matches("s3cret"u8));
        Assert.False(password.Matches("s3cret "u8));
        Assert.False(password.Matches(""u8));
        Assert.DoesNotContain("s3cret", new RespSettings(password, 10).ToString());
    }

    [Fact]
    public void Failures_are_all_counted_and_warned_about_at_most_once_per_ten_seconds()
    {
        var metrics = new NodeMetrics();
        var warnings = new List<string>();
        var clock = new ManualClock();
        var failures = new RespAuthFailures(metrics, warnings.Add, clock);
        var client = new IPEndPoint(IPAddress.Loopback, 50000);

        failures.Failed(client, "default");
        failures.Failed(client, "default");
        clock.Advance(TimeSpan.FromSeconds(9.9));
        failures.Failed(client, "alice");
        Assert.Equal(3, metrics.RespAuthFailures);
        Assert.Equal(new[] { "event=resp-auth-failed remote=127.0.0.1:50000 user=default failures-since-last-warning=1" }, warnings);

        clock.Advance(TimeSpan.FromSeconds(0.1));
        failures.Failed(client, "bob");
        Assert.Equal(2, warnings.Count);
        Assert.Equal("event=resp-auth-failed remote=127.0.0.1:50000 user=bob failures-since-last-warning=3", warnings[1]);
    }
}
