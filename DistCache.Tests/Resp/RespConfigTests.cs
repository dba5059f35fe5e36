using System.Text;
using DistCache.Actors.Notifications;
using DistCache.Actors.Partitions;
using DistCache.Host.Resp;

namespace DistCache.Tests.Resp;

/// <summary>CONFIG GET's glob over Redis's names for DistCache's settings, and CONFIG SET's refusals.</summary>
public sealed class RespConfigTests
{
    private static readonly RespConfig Config = RespConfig.For(
        1_000_000, EvictionPolicy.VolatileTtl, DurabilityMode.Batched, "127.0.0.1", 6380, 10_000, RespLimits.For(1024 * 1024), "/data");

    private static RespValue Reply(params string[] words) => Config.Reply(RespArgs.Of(words), new RespClients());

    private static Dictionary<string, string> Get(params string[] patterns) =>
        Assert.IsType<RespMap>(Reply(["CONFIG", "GET", .. patterns])).Entries.ToDictionary(
            e => Encoding.UTF8.GetString(((RespBulk)e.Key).Data), e => Encoding.UTF8.GetString(((RespBulk)e.Value).Data));

    private static string Error(params string[] words) => Assert.IsType<RespError>(Reply(words)).Message;

    [Fact]
    public void Settings_read_under_redis_names()
    {
        var all = Get("*");
        Assert.Equal("1000000", all["maxmemory"]);
        Assert.Equal("volatile-ttl", all["maxmemory-policy"]);
        Assert.Equal("1", all["databases"]);
        Assert.Equal("", all["save"]);
        Assert.Equal("yes", all["appendonly"]);
        Assert.Equal("everysec", all["appendfsync"]);
        Assert.Equal("6380", all["port"]);
        Assert.Equal("127.0.0.1", all["bind"]);
        Assert.Equal("10000", all["maxclients"]);
        Assert.Equal("0", all["timeout"]);
        Assert.Equal("", all["requirepass"]);
        Assert.Equal("1048576", all["proto-max-bulk-len"]);
    }

    [Theory]
    [InlineData(DurabilityMode.Always, "yes", "always")]
    [InlineData(DurabilityMode.Batched, "yes", "everysec")]
    [InlineData(DurabilityMode.None, "no", "no")]
    public void Durability_reads_as_append_only_and_fsync(DurabilityMode durability, string appendonly, string appendfsync)
    {
        var config = RespConfig.For(0, EvictionPolicy.NoEviction, durability, "h", 1, 1, RespLimits.For(1), "");
        Assert.Equal(appendonly, config.Value("appendonly"));
        Assert.Equal(appendfsync, config.Value("appendfsync"));
    }

    [Fact]
    public void Patterns_match_in_any_case_and_each_parameter_comes_once()
    {
        Assert.Equal(["maxmemory", "maxmemory-policy"], Get("MAXMEM*").Keys);
        Assert.Equal(["maxmemory", "maxmemory-policy", "maxclients"], Get("maxmemory*", "max*").Keys);
        Assert.Equal(["port"], Get("p?rt").Keys);
        Assert.Empty(Get("nosuch", "lua-*"));
    }

    [Fact]
    public void Config_get_is_a_map_in_resp3_and_a_flat_array_in_resp2()
    {
        var reply = Reply("CONFIG", "GET", "databases");
        Assert.Equal("*2\r\n$9\r\ndatabases\r\n$1\r\n1\r\n", Wire(reply, 2));
        Assert.Equal("%1\r\n$9\r\ndatabases\r\n$1\r\n1\r\n", Wire(reply, 3));
    }

    [Fact]
    public void Config_set_changes_nothing_and_says_so_in_redis_words()
    {
        Assert.Equal("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - can't set immutable config",
            Error("CONFIG", "SET", "maxmemory", "5"));
        Assert.Equal("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - can't set immutable config",
            Error("CONFIG", "SET", "save", "", "maxmemory-policy", "allkeys-lru"));
        Assert.Equal("ERR Unknown option or number of arguments for CONFIG SET - 'lua-time-limit'", Error("CONFIG", "SET", "lua-time-limit", "5"));
        Assert.Equal("ERR wrong number of arguments for 'config|set' command", Error("CONFIG", "SET", "maxmemory"));
        // What it is already is accepted, as tools that set save "" or appendonly yes expect.
        Assert.Equal(RespValue.Ok, Reply("CONFIG", "SET", "save", "", "MAXMEMORY-POLICY", "volatile-ttl"));
        // Never compared, so the answer tells nothing about the password.
        Assert.StartsWith("ERR CONFIG SET failed", Error("CONFIG", "SET", "requirepass", ""));
    }

    [Fact]
    public void Notify_keyspace_events_is_set_and_read_back_normalised_as_in_redis_all_or_nothing()
    {
        var keyspace = new KeyspaceNotifier();
        var config = RespConfig.For(0, EvictionPolicy.NoEviction, DurabilityMode.Always, "127.0.0.1", 6380, 10, RespLimits.For(1024), "", keyspace);
        RespValue Run(params string[] words) => config.Reply(RespArgs.Of(words), new RespClients());
        string Shown() => Encoding.UTF8.GetString(((RespBulk)Assert.IsType<RespMap>(Run("CONFIG", "GET", "notify-keyspace-events")).Entries[0].Value).Data);

        Assert.Equal("", Shown());
        Assert.False(keyspace.Enabled);
        Assert.Equal(RespValue.Ok, Run("CONFIG", "SET", "notify-keyspace-events", "KEA"));
        Assert.Equal("AKE", Shown());
        Assert.True(keyspace.Enabled);
        // Redis 7.0.15's words; with an immutable parameter beside it nothing changes.
        Assert.Equal("ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
            Assert.IsType<RespError>(Run("CONFIG", "SET", "notify-keyspace-events", "KEq")).Message);
        Assert.IsType<RespError>(Run("CONFIG", "SET", "notify-keyspace-events", "Ex", "maxmemory", "5"));
        Assert.Equal("AKE", Shown());
        Assert.Equal(RespValue.Ok, Run("CONFIG", "SET", "notify-keyspace-events", ""));
        Assert.False(keyspace.Enabled);
    }

    [Fact]
    public void Other_subcommands_answer_as_redis()
    {
        Assert.Equal("ERR wrong number of arguments for 'config|get' command", Error("CONFIG", "GET"));
        Assert.Equal("ERR The server is running without a config file", Error("CONFIG", "REWRITE"));
        Assert.Equal("ERR unknown subcommand 'NOPE'. Try CONFIG HELP.", Error("CONFIG", "NOPE"));
        Assert.StartsWith("CONFIG <subcommand>", Assert.IsType<RespSimple>(Assert.IsType<RespArray>(Reply("CONFIG", "HELP")).Items[0]).Text);
    }

    [Fact]
    public void Resetstat_zeroes_the_counters()
    {
        var clients = new RespClients();
        var session = new RespSession(1);
        var client = new RespClient(session, null, null, -1, () => { }, 0);
        clients.Add(client);
        client.Started(RespArgs.Of("PING"), 1);
        client.Started(RespArgs.Of("PING"), 2);
        clients.Rejected();
        Assert.Equal(2, clients.CommandsProcessed);
        Assert.Equal(1, clients.ConnectionsReceived);
        Assert.Equal(RespValue.Ok, Config.Reply(RespArgs.Of("CONFIG", "RESETSTAT"), clients));
        Assert.Equal(0, clients.CommandsProcessed);
        Assert.Equal(0, clients.ConnectionsReceived);
        Assert.Equal(0, clients.RejectedConnections);

        // A connection that leaves keeps its commands in the total.
        client.Started(RespArgs.Of("PING"), 3);
        clients.Remove(1);
        Assert.Equal(1, clients.CommandsProcessed);
    }

    private static string Wire(RespValue value, int protocol)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        RespWriter.Write(buffer, value, protocol);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
