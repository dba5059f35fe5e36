using System.Text;
using DistCache.Host.Resp;
using DistCache.Protocol;

namespace DistCache.Tests.Resp;

/// <summary>INFO's text: sections chosen by the arguments, Redis's field names, CRLF lines.</summary>
public sealed class RespInfoTests
{
    private static readonly RespInfoData Data = new(
        "0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6380, TimeSpan.FromHours(49), 1_700_000_000_000_000, "Linux 6.1 x64", 64, 4242,
        new string('a', 40), 2, 10_000, 5, 1536, 50_000_000, 1_073_741_824, "allkeys-lru", true, "batched",
        17, 123, 41.6, 1, 3, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.25), new KeyCount(42, 7));

    private static Dictionary<string, string> Fields(string text) =>
        text.Split("\r\n").Where(l => l.Contains(':') && !l.StartsWith('#')).ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 1)..]);

    private static string[] Headers(string text) => text.Split("\r\n").Where(l => l.StartsWith("# ")).ToArray();

    [Fact]
    public void Without_arguments_every_section_is_there_with_the_fields_tools_read()
    {
        var text = RespInfo.Format(Data, RespInfo.Requested([]));
        Assert.Equal(["# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication", "# Cpu", "# Cluster", "# Keyspace"], Headers(text));
        var f = Fields(text);
        Assert.Equal(RespCommands.CompatibleVersion, f["redis_version"]);
        Assert.Equal("0.1.0", f["distcache_version"]);
        Assert.Equal("standalone", f["redis_mode"]);
        Assert.Equal("64", f["arch_bits"]);
        Assert.Equal("4242", f["process_id"]);
        Assert.Equal("6380", f["tcp_port"]);
        Assert.Equal("176400", f["uptime_in_seconds"]);
        Assert.Equal("2", f["uptime_in_days"]);
        Assert.Equal("2", f["connected_clients"]);
        Assert.Equal("10000", f["maxclients"]);
        Assert.Equal("1536", f["used_memory"]);
        Assert.Equal("1.50K", f["used_memory_human"]);
        Assert.Equal("1073741824", f["maxmemory"]);
        Assert.Equal("1.00G", f["maxmemory_human"]);
        Assert.Equal("allkeys-lru", f["maxmemory_policy"]);
        Assert.Equal("1", f["aof_enabled"]);
        Assert.Equal("17", f["total_connections_received"]);
        Assert.Equal("123", f["total_commands_processed"]);
        Assert.Equal("42", f["instantaneous_ops_per_sec"]);
        Assert.Equal("1", f["rejected_connections"]);
        Assert.Equal("3", f["distcache_abandoned_commands"]);
        Assert.Equal("master", f["role"]);
        Assert.Equal("1.500000", f["used_cpu_sys"]);
        Assert.Equal("2.250000", f["used_cpu_user"]);
        Assert.Equal("keys=42,expires=7,avg_ttl=0", f["db0"]);
    }

    [Fact]
    public void Redis_mode_and_cluster_enabled_follow_the_cluster_mode()
    {
        var standalone = Fields(RespInfo.Format(Data, RespInfo.Requested(["server", "cluster"])));
        Assert.Equal(("standalone", "0"), (standalone["redis_mode"], standalone["cluster_enabled"]));
        var cluster = Fields(RespInfo.Format(Data with { ClusterEnabled = true }, RespInfo.Requested(["server", "cluster"])));
        Assert.Equal(("cluster", "1"), (cluster["redis_mode"], cluster["cluster_enabled"]));
    }

    [Fact]
    public void Lines_end_in_crlf_and_sections_are_parted_by_an_empty_line()
    {
        var text = RespInfo.Format(Data, RespInfo.Requested(["clients", "replication"]));
        Assert.Equal(
            "# Clients\r\nconnected_clients:2\r\nmaxclients:10000\r\nblocked_clients:5\r\ntracking_clients:0\r\n\r\n" +
            "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n", text);
        Assert.DoesNotContain("\n", text.Replace("\r\n", ""));
    }

    [Theory]
    [InlineData("MEMORY", "# Memory")]
    [InlineData("Keyspace", "# Keyspace")]
    [InlineData("cpu", "# Cpu")]
    public void A_section_is_named_in_any_case(string name, string header) =>
        Assert.Equal([header], Headers(RespInfo.Format(Data, RespInfo.Requested([name]))));

    [Theory]
    [InlineData("all")]
    [InlineData("EVERYTHING")]
    [InlineData("default")]
    public void All_everything_and_default_name_every_section(string name) =>
        Assert.Equal(RespInfo.Sections.Length, Headers(RespInfo.Format(Data, RespInfo.Requested([name]))).Length);

    [Fact]
    public void An_unknown_section_adds_nothing() =>
        Assert.Equal("", RespInfo.Format(Data, RespInfo.Requested(["commandstats", "nosuch"])));

    [Fact]
    public void An_empty_keyspace_has_its_header_only() =>
        Assert.Equal("# Keyspace\r\n", RespInfo.Format(Data with { Keys = new KeyCount(0, 0) }, RespInfo.Requested(["keyspace"])));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(1023, "1023B")]
    [InlineData(1024, "1.00K")]
    [InlineData(5 * 1024 * 1024 + 512 * 1024, "5.50M")]
    public void Sizes_read_as_redis_writes_them(long bytes, string human) => Assert.Equal(human, RespInfo.Human(bytes));

    [Fact]
    public void Info_asks_the_cluster_only_for_the_keyspace()
    {
        var commands = new RespCommands(() => new RespNodeInfo("0.1.0", "a", 6379, 1, TimeSpan.Zero));
        var session = new RespSession(1);
        var server = Assert.IsType<Immediate>(commands.Map(RespArgs.Of("INFO", "server", "memory"), session));
        Assert.Contains("# Memory", Encoding.UTF8.GetString(Assert.IsType<RespVerbatim>(server.Reply).Data));
        var keyspace = Assert.IsType<ClusterCall>(commands.Map(RespArgs.Of("INFO", "keyspace"), session));
        Assert.Equal(CountKeys.WithExpiring, Assert.Single(keyspace.Commands));
        Assert.Equal("# Keyspace\r\ndb0:keys=5,expires=2,avg_ttl=0\r\n",
            Encoding.UTF8.GetString(Assert.IsType<RespVerbatim>(keyspace.Answer([new KeyCount(5, 2)])).Data));
    }

    [Fact]
    public void The_ops_rate_is_measured_over_at_least_a_second()
    {
        var rate = new RespOpsRate().Starting(0);
        Assert.Equal(0, rate.Sample(500, 500));
        Assert.Equal(1000, rate.Sample(1000, 1000));
        Assert.Equal(1000, rate.Sample(5000, 1500));
        Assert.Equal(2000, rate.Sample(5000, 3000));
    }
}
