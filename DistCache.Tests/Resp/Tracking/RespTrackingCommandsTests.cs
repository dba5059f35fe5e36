using System.Buffers;
using System.Text;
using DistCache.Host.Resp;
using DistCache.Host.Resp.Tracking;
using DistCache.Protocol;

namespace DistCache.Tests.Resp.Tracking;

/// <summary>CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO on the command mapping, without a network: every
/// reply byte for byte as redis-server 7.0.15 wrote it for the same commands, and the keys each command of a
/// tracking connection is marked to read or write (Redis's rules for OPTIN, OPTOUT, CACHING, BCAST, MULTI).</summary>
public sealed class RespTrackingCommandsTests
{
    private readonly RespClients _clients = new();
    private readonly RespCommands _commands;

    public RespTrackingCommandsTests() =>
        _commands = new(() => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 1, TimeSpan.Zero), clients: _clients);

    // A session that CLIENT LIST and REDIRECT can find.
    private RespSession Connected(long id)
    {
        var session = new RespSession(id);
        _clients.Add(new RespClient(session, null, null, -1, () => { }, 0));
        return session;
    }

    private string Wire(RespSession session, params string[] words)
    {
        var reply = Assert.IsType<Immediate>(_commands.Map(RespArgs.Of(words), session)).Reply;
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.Write(buffer, reply, session.Protocol);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private const string Off = "*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n";

    [Theory]
    [InlineData("-ERR wrong number of arguments for 'client|tracking' command\r\n", "TRACKING")]
    [InlineData("-ERR syntax error\r\n", "TRACKING", "maybe")]
    [InlineData("-ERR syntax error\r\n", "TRACKING", "on", "foo")]
    [InlineData("-ERR syntax error\r\n", "TRACKING", "on", "redirect")]
    [InlineData("-ERR syntax error\r\n", "TRACKING", "off", "foo")]
    [InlineData("-ERR value is not an integer or out of range\r\n", "TRACKING", "on", "redirect", "abc")]
    [InlineData("-ERR The client ID you want redirect to does not exist\r\n", "TRACKING", "on", "redirect", "999")]
    [InlineData("-ERR The client ID you want redirect to does not exist\r\n", "TRACKING", "on", "redirect", "0")]
    [InlineData("-ERR The client ID you want redirect to does not exist\r\n", "TRACKING", "off", "redirect", "-1")]
    [InlineData("-ERR A client can only redirect to a single other client\r\n", "TRACKING", "on", "redirect", "5", "redirect", "5")]
    [InlineData("-ERR PREFIX option requires BCAST mode to be enabled\r\n", "TRACKING", "on", "prefix", "a")]
    [InlineData("-ERR OPTIN and OPTOUT are not compatible with BCAST\r\n", "TRACKING", "on", "bcast", "optin")]
    [InlineData("-ERR You can't specify both OPTIN mode and OPTOUT mode\r\n", "TRACKING", "on", "optin", "optout")]
    [InlineData("-ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single client must not overlap.\r\n",
        "TRACKING", "on", "bcast", "prefix", "a", "prefix", "ab")]
    [InlineData("-ERR Prefix 'ab' overlaps with another provided prefix 'a'. Prefixes for a single client must not overlap.\r\n",
        "TRACKING", "on", "bcast", "prefix", "ab", "prefix", "x", "prefix", "a")]
    [InlineData("-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n", "CACHING", "yes")]
    [InlineData("-ERR wrong number of arguments for 'client|caching' command\r\n", "CACHING")]
    [InlineData("-ERR wrong number of arguments for 'client|caching' command\r\n", "CACHING", "yes", "x")]
    [InlineData("-ERR wrong number of arguments for 'client|getredir' command\r\n", "GETREDIR", "x")]
    [InlineData("-ERR wrong number of arguments for 'client|trackinginfo' command\r\n", "TRACKINGINFO", "x")]
    [InlineData(":-1\r\n", "GETREDIR")]
    [InlineData(Off, "TRACKINGINFO")]
    [InlineData("+OK\r\n", "TRACKING", "off", "bcast")]
    public void Refusals_and_replies_match_redis(string expected, params string[] words)
    {
        Connected(5);
        var session = Connected(4);
        Assert.Equal(expected, Wire(session, ["CLIENT", .. words]));
        Assert.Null(session.Tracking.Mode);
    }

    [Fact]
    public void Bcast_trackinginfo_and_mode_switches_answer_as_redis_does()
    {
        var session = Connected(4);
        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "TRACKING", "on", "bcast"));
        Assert.Equal("*6\r\n$5\r\nflags\r\n*2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*1\r\n$0\r\n\r\n",
            Wire(session, "CLIENT", "TRACKINGINFO"));
        var switchBcast = "-ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.\r\n";
        Assert.Equal(switchBcast, Wire(session, "CLIENT", "TRACKING", "on", "optin"));
        Assert.Equal(switchBcast, Wire(session, "CLIENT", "TRACKING", "on", "optout"));
        Assert.Equal("-ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.\r\n", Wire(session, "CLIENT", "CACHING", "yes"));
        Assert.Equal("-ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.\r\n", Wire(session, "CLIENT", "CACHING", "no"));
        Assert.Equal("-ERR syntax error\r\n", Wire(session, "CLIENT", "CACHING", "maybe"));
        Assert.Equal("-ERR Prefix 'b' overlaps with an existing prefix ''. Prefixes for a single client must not overlap.\r\n",
            Wire(session, "CLIENT", "TRACKING", "on", "bcast", "prefix", "b"));
        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "TRACKING", "off"));
        Assert.Equal(Off, Wire(session, "CLIENT", "TRACKINGINFO"));

        // RESP3: a map, the flags a set; prefixes in byte order whatever order they came in.
        session.Protocol = 3;
        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "TRACKING", "on", "bcast", "prefix", "c", "prefix", "b", "noloop"));
        Assert.Equal("%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$5\r\nbcast\r\n$6\r\nnoloop\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*2\r\n$1\r\nb\r\n$1\r\nc\r\n",
            Wire(session, "CLIENT", "TRACKINGINFO"));
        Assert.Equal("-ERR Prefix 'c' overlaps with an existing prefix 'c'. Prefixes for a single client must not overlap.\r\n",
            Wire(session, "CLIENT", "TRACKING", "on", "bcast", "prefix", "c"));
        Assert.Contains(" flags=tB ", Wire(session, "CLIENT", "INFO"));
        Assert.Contains(" redir=0 ", Wire(session, "CLIENT", "INFO"));
    }

    [Fact]
    public void Optin_optout_caching_and_redirect_answer_as_redis_does()
    {
        var target = Connected(6);
        var session = Connected(5);
        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "TRACKING", "on", "redirect", "5"));
        Assert.Contains("tracking_clients:1\r\n", Wire(session, "INFO", "clients"));
        Assert.Equal("*6\r\n$5\r\nflags\r\n*1\r\n$2\r\non\r\n$8\r\nredirect\r\n:5\r\n$8\r\nprefixes\r\n*0\r\n", Wire(session, "CLIENT", "TRACKINGINFO"));
        // From the default mode to OPTIN without turning tracking off: allowed, and the redirect goes.
        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "TRACKING", "on", "optin"));
        Assert.Equal("-ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.\r\n",
            Wire(session, "CLIENT", "TRACKING", "on", "optout"));
        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "CACHING", "yes"));
        var cachingYes = "*6\r\n$5\r\nflags\r\n*3\r\n$2\r\non\r\n$5\r\noptin\r\n$11\r\ncaching-yes\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n";
        // CLIENT's own subcommands keep CACHING's answer for the next command.
        Assert.Equal(cachingYes, Wire(session, "CLIENT", "TRACKINGINFO"));
        Assert.Equal(cachingYes, Wire(session, "CLIENT", "TRACKINGINFO"));
        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "TRACKING", "off"));

        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "TRACKING", "on", "optout", "noloop", "redirect", "6"));
        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "CACHING", "no"));
        Assert.Equal("*6\r\n$5\r\nflags\r\n*4\r\n$2\r\non\r\n$6\r\noptout\r\n$10\r\ncaching-no\r\n$6\r\nnoloop\r\n$8\r\nredirect\r\n:6\r\n$8\r\nprefixes\r\n*0\r\n",
            Wire(session, "CLIENT", "TRACKINGINFO"));
        Assert.Equal(":6\r\n", Wire(session, "CLIENT", "GETREDIR"));
        var line = Wire(session, "CLIENT", "INFO");
        Assert.Contains(" flags=t ", line);
        Assert.Contains(" redir=6 ", line);
        Assert.Contains(" flags=N ", Wire(target, "CLIENT", "INFO"));
        Assert.Contains(" redir=-1 ", Wire(target, "CLIENT", "INFO"));

        // RESET turns tracking off, as in Redis.
        Assert.IsType<Immediate>(_commands.Map(RespArgs.Of("RESET"), session));
        Assert.Equal(Off, Wire(session, "CLIENT", "TRACKINGINFO"));
        Assert.Contains("tracking_clients:0\r\n", Wire(session, "INFO", "clients"));
    }

    private TrackedKeys? Tracked(RespSession session, params string[] words) => _commands.Map(RespArgs.Of(words), session).Tracked;

    private static string[] Read(TrackedKeys? keys) => Assert.IsType<TrackedKeys>(keys).Read.Select(k => k.ToString()).ToArray();

    [Fact]
    public void A_tracking_connection_reads_the_keys_of_read_only_commands_only()
    {
        var session = Connected(1);
        Assert.Null(Tracked(session, "GET", "a"));
        Wire(session, "CLIENT", "TRACKING", "on");

        Assert.Equal(["a"], Read(Tracked(session, "GET", "a")));
        Assert.Equal(["a", "b"], Read(Tracked(session, "MGET", "a", "b")));
        Assert.Equal(["a", "b"], Read(Tracked(session, "EXISTS", "a", "b")));
        Assert.Equal(["h"], Read(Tracked(session, "HGET", "h", "f")));
        Assert.Equal(["z1", "z2"], Read(Tracked(session, "ZUNION", "2", "z1", "z2")));
        // Writes read nothing (GETEX and GETSET are writes in Redis too), refused commands nothing at all.
        Assert.Null(Tracked(session, "SET", "a", "1"));
        Assert.Null(Tracked(session, "GETEX", "a"));
        Assert.Null(Tracked(session, "GET"));
        Assert.Null(Tracked(session, "KEYS", "*"));
    }

    [Fact]
    public void Optin_tracks_only_after_caching_yes_and_optout_all_but_after_caching_no()
    {
        var session = Connected(1);
        Wire(session, "CLIENT", "TRACKING", "on", "optin");
        Assert.Null(Tracked(session, "GET", "o1"));
        Wire(session, "CLIENT", "CACHING", "yes");
        Assert.Equal(["o2"], Read(Tracked(session, "GET", "o2")));
        Assert.Null(Tracked(session, "GET", "o3"));

        // A transaction after CACHING YES: every read it queued, marked on EXEC.
        Wire(session, "CLIENT", "CACHING", "yes");
        Wire(session, "MULTI");
        Assert.Null(Tracked(session, "GET", "{m}1"));
        Assert.Null(Tracked(session, "GET", "{m}2"));
        var exec = _commands.Map(RespArgs.Of("EXEC"), session);
        Assert.Equal(["{m}1", "{m}2"], Read(exec.Tracked));
        Assert.Null(Tracked(session, "GET", "m3"));

        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "TRACKING", "off"));
        Assert.Equal("+OK\r\n", Wire(session, "CLIENT", "TRACKING", "on", "optout"));
        Assert.Equal(["p1"], Read(Tracked(session, "GET", "p1")));
        Wire(session, "CLIENT", "CACHING", "no");
        Assert.Null(Tracked(session, "GET", "p2"));
        Assert.Equal(["p3"], Read(Tracked(session, "GET", "p3")));
    }

    [Fact]
    public void Bcast_reads_nothing_and_noloop_marks_the_keys_written()
    {
        var session = Connected(1);
        Wire(session, "CLIENT", "TRACKING", "on", "bcast", "noloop");
        Assert.Null(Tracked(session, "GET", "a"));
        var set = Tracked(session, "MSET", "a", "1", "b", "2");
        Assert.Equal(["a", "b"], set!.Written.Select(k => k.ToString()));
        Assert.Empty(set.Read);
        Wire(session, "CLIENT", "TRACKING", "off");
        Wire(session, "CLIENT", "TRACKING", "on");
        Assert.Null(Tracked(session, "SET", "a", "1"));
    }
}
