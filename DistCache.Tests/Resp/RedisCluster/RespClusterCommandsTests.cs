using DistCache.Actors.Cluster;
using DistCache.Host.Resp;
using DistCache.Host.Resp.RedisCluster;
using DistCache.Wire;

namespace DistCache.Tests.Resp.RedisCluster;

/// <summary>CLUSTER and the redirect of keyed commands through the dispatcher, in each cluster mode, without a cluster.</summary>
public sealed class RespClusterCommandsTests
{
    private static readonly ClusterNode Me = new(new string('a', 40), new RespAnnounce("127.0.0.1", 7001), 4053, Myself: true);
    private static readonly ClusterNode Other = new(new string('b', 40), new RespAnnounce("127.0.0.1", 7002), 4054, Myself: false);

    // 2 partitions: slots 0-8191 here, 8192-16383 on the other node. "foo" is in slot 12182, "a" in 15495, "b" in 3300.
    private static readonly SlotOwners Owners = new([Me, Other], [0, 1]);

    private static RespCommands Commands(RespClusterMode mode) => new(
        () => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 7001, 1, TimeSpan.Zero) { ClusterEnabled = mode != RespClusterMode.Off },
        cluster: mode == RespClusterMode.Off ? null : new RespClusterCommands(mode, () => Owners, partition => partition == 0));

    private static RespPlan Map(RespCommands commands, RespSession session, params string[] words) => commands.Map(RespArgs.Of(words), session);

    private static RespValue Reply(RespCommands commands, RespSession session, params string[] words) =>
        Assert.IsType<Immediate>(Map(commands, session, words)).Reply;

    private static string Text(RespValue value) => System.Text.Encoding.UTF8.GetString(Assert.IsType<RespBulk>(value).Data);

    [Fact]
    public void Off_answers_as_redis_without_cluster_support_and_never_redirects()
    {
        var commands = Commands(RespClusterMode.Off);
        var session = new RespSession(1);
        Assert.Equal(RespClusterCommands.Disabled, Reply(commands, session, "CLUSTER", "SLOTS"));
        Assert.Equal(RespClusterCommands.Disabled, Reply(commands, session, "READONLY"));
        Assert.IsType<ClusterCall>(Map(commands, session, "GET", "foo"));
    }

    [Fact]
    public void Auto_serves_a_plain_client_and_redirects_one_that_asked_for_the_slot_map()
    {
        var commands = Commands(RespClusterMode.Auto);
        var plain = new RespSession(1);
        var aware = new RespSession(2);
        Assert.IsType<ClusterCall>(Map(commands, plain, "GET", "foo"));
        Assert.IsType<RespArray>(Reply(commands, aware, "CLUSTER", "SLOTS"));
        Assert.Equal(RespValue.Error("MOVED 12182 127.0.0.1:7002"), Reply(commands, aware, "GET", "foo"));
        Assert.IsType<ClusterCall>(Map(commands, aware, "GET", "b"));
        // The plain connection is still served.
        Assert.IsType<ClusterCall>(Map(commands, plain, "GET", "foo"));
    }

    [Theory]
    [InlineData("CLUSTER", "NODES")]
    [InlineData("CLUSTER", "SHARDS")]
    [InlineData("READONLY")]
    [InlineData("ASKING")]
    public void In_auto_these_mark_a_client_that_routes_by_slot(params string[] words)
    {
        var commands = Commands(RespClusterMode.Auto);
        var session = new RespSession(1);
        Assert.IsType<ClusterCall>(Map(commands, session, "SET", "foo", "1"));
        Map(commands, session, words);
        // ASKING also has the one command after it served here: the mark is what lasts.
        Map(commands, session, "PING");
        Assert.Equal(RespValue.Error("MOVED 12182 127.0.0.1:7002"), Reply(commands, session, "SET", "foo", "1"));
    }

    [Fact]
    public void In_auto_cluster_info_keyslot_and_readwrite_do_not_mark_a_client()
    {
        var commands = Commands(RespClusterMode.Auto);
        var session = new RespSession(1);
        Map(commands, session, "CLUSTER", "INFO");
        Map(commands, session, "CLUSTER", "KEYSLOT", "foo");
        Map(commands, session, "READWRITE");
        Assert.IsType<ClusterCall>(Map(commands, session, "GET", "foo"));
    }

    [Fact]
    public void On_redirects_every_connection_and_refuses_keys_of_different_slots()
    {
        var commands = Commands(RespClusterMode.On);
        var session = new RespSession(1);
        Assert.Equal(RespValue.Error("MOVED 15495 127.0.0.1:7002"), Reply(commands, session, "INCR", "a"));
        Assert.Equal(RespValue.Error("MOVED 12182 127.0.0.1:7002"), Reply(commands, session, "MGET", "{foo}1", "{foo}2"));
        Assert.Equal(SlotRedirect.CrossSlot, Reply(commands, session, "DEL", "a", "b"));
        Assert.Equal(SlotRedirect.CrossSlot, Reply(commands, session, "LMPOP", "2", "a", "b", "LEFT"));
        Assert.IsType<ClusterCall>(Map(commands, session, "SET", "b", "1"));
        Assert.IsType<ClusterCall>(Map(commands, session, "DBSIZE"));
        Assert.IsType<Immediate>(Map(commands, session, "PING"));
    }

    [Fact]
    public void Cluster_subcommands_answer_as_redis_does()
    {
        var commands = Commands(RespClusterMode.On);
        var session = new RespSession(1);
        Assert.Equal(new RespInteger(12182), Reply(commands, session, "CLUSTER", "KEYSLOT", "foo"));
        Assert.Equal(new RespInteger(KeySlot.Of("x"u8)), Reply(commands, session, "cluster", "keyslot", "{x}y"));
        Assert.Equal(Me.Id, Text(Reply(commands, session, "CLUSTER", "MYID")));
        Assert.Contains("cluster_state:ok", System.Text.Encoding.UTF8.GetString(Assert.IsType<RespVerbatim>(Reply(commands, session, "CLUSTER", "INFO")).Data));
        Assert.Equal(RespValue.Error("ERR Invalid slot"), Reply(commands, session, "CLUSTER", "COUNTKEYSINSLOT", "20000"));
        Assert.Equal(RespValue.Error("ERR value is not an integer or out of range"), Reply(commands, session, "CLUSTER", "COUNTKEYSINSLOT", "x"));
        Assert.Equal(RespValue.Error("ERR Invalid slot or number of keys"), Reply(commands, session, "CLUSTER", "GETKEYSINSLOT", "1", "-1"));
        Assert.IsType<ClusterSteps>(Map(commands, session, "CLUSTER", "GETKEYSINSLOT", "1", "10"));
        Assert.Equal(RespValue.Error("ERR wrong number of arguments for 'cluster|keyslot' command"), Reply(commands, session, "CLUSTER", "KEYSLOT"));
        Assert.Equal(RespValue.Error("ERR unknown subcommand 'foo'. Try CLUSTER HELP."), Reply(commands, session, "CLUSTER", "foo"));
        Assert.Equal(RespValue.Ok, Reply(commands, session, "ASKING"));
        var help = Assert.IsType<RespArray>(Reply(commands, session, "CLUSTER", "HELP")).Items.Select(i => Assert.IsType<RespSimple>(i).Text).ToArray();
        Assert.StartsWith("CLUSTER <subcommand>", help[0]);
        Assert.All(RespClusterCommands.Options, sub => Assert.Contains(sub, help.Select(l => l.Split(' ')[0])));
    }

    [Fact]
    public void Asking_has_the_one_next_keyed_command_served_here_whatever_the_map_says()
    {
        var commands = Commands(RespClusterMode.On);
        var session = new RespSession(1);
        Assert.Equal(RespValue.Error("MOVED 12182 127.0.0.1:7002"), Reply(commands, session, "GET", "foo"));
        Assert.Equal(RespValue.Ok, Reply(commands, session, "ASKING"));
        Assert.IsType<ClusterCall>(Map(commands, session, "GET", "foo"));
        Assert.Equal(RespValue.Error("MOVED 12182 127.0.0.1:7002"), Reply(commands, session, "GET", "foo"));
        // Any other command in between ends it, as in Redis.
        Assert.Equal(RespValue.Ok, Reply(commands, session, "ASKING"));
        Assert.Equal(RespValue.Pong, Reply(commands, session, "PING"));
        Assert.Equal(RespValue.Error("MOVED 12182 127.0.0.1:7002"), Reply(commands, session, "GET", "foo"));
    }

    [Fact]
    public void A_leaving_node_asks_another_node_to_serve_the_slots_its_map_still_gives_it()
    {
        var leaving = true;
        var commands = new RespCommands(
            () => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 7001, 1, TimeSpan.Zero) { ClusterEnabled = true },
            cluster: new RespClusterCommands(RespClusterMode.On, () => Owners, _ => false, () => leaving));
        var session = new RespSession(1);
        // Slot 3300 is this node's in its map, but its partition has gone: another node serves it after ASKING.
        Assert.Equal(RespValue.Error("ASK 3300 127.0.0.1:7002"), Reply(commands, session, "GET", "b"));
        Assert.Equal(RespValue.Error("MOVED 12182 127.0.0.1:7002"), Reply(commands, session, "GET", "foo"));
        leaving = false;
        Assert.IsType<ClusterCall>(Map(commands, session, "GET", "b"));
    }

    [Theory]
    [InlineData(RespClusterMode.Off, "standalone")]
    [InlineData(RespClusterMode.Auto, "cluster")]
    [InlineData(RespClusterMode.On, "cluster")]
    public void Hello_names_the_mode(RespClusterMode mode, string expected)
    {
        var hello = Assert.IsType<RespMap>(Reply(Commands(mode), new RespSession(1), "HELLO", "3"));
        Assert.Equal(expected, Text(hello.Entries.Single(e => Text(e.Key) == "mode").Value));
    }
}
