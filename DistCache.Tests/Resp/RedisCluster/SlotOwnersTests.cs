using System.Buffers;
using System.Text;
using DistCache.Actors.Cluster;
using DistCache.Host.Resp;
using DistCache.Host.Resp.RedisCluster;

namespace DistCache.Tests.Resp.RedisCluster;

/// <summary>The slot map: contiguous ranges per node, unknown owners listed under this node, and CLUSTER
/// NODES, SLOTS, SHARDS and INFO in Redis 7's formats.</summary>
public sealed class SlotOwnersTests
{
    private static readonly ClusterNode A = new(new string('a', 40), new RespAnnounce("10.0.0.1", 7001), 4053, Myself: true);
    private static readonly ClusterNode B = new(new string('b', 40), new RespAnnounce("10.0.0.2", 7002), 4054, Myself: false);
    private static readonly ClusterNode C = new(new string('c', 40), new RespAnnounce("10.0.0.3", 7003), 4055, Myself: false);

    // 8 partitions of 2048 slots: A owns 0, 1 and 5; B owns 2, 3 and 7; C owns 4; 6 is between homes.
    private static SlotOwners Owners() => new([A, B, C], [0, 0, 1, 1, 2, 0, SlotOwners.Unknown, 1]);

    private static string Wire(RespValue value, int protocol = 2)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.Write(buffer, value, protocol);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Adjacent_partitions_of_one_node_make_one_range_and_an_unknown_owner_is_this_node()
    {
        Assert.Equal(
        [
            new SlotRange(0, 4095, 0),
            new SlotRange(4096, 8191, 1),
            new SlotRange(8192, 10239, 2),
            new SlotRange(10240, 14335, 0), // partition 5 (A) and 6 (between homes, listed under A)
            new SlotRange(14336, 16383, 1),
        ], Owners().Ranges);
        Assert.Equal(3, Owners().Masters);
    }

    [Fact]
    public void Ranges_cover_every_slot_once_for_uneven_partition_counts()
    {
        foreach (var partitions in new[] { 1, 3, 7, 64, 256, 1000, 16384 })
        {
            var owners = new SlotOwners([A, B], Enumerable.Range(0, partitions).Select(p => p % 3 == 0 ? 1 : 0).ToArray());
            var next = 0;
            foreach (var range in owners.Ranges)
            {
                Assert.Equal(next, range.First);
                Assert.True(range.Last >= range.First);
                for (var slot = range.First; slot <= range.Last; slot += 97)
                    Assert.Equal(range.Node, owners.OwnerOfSlot(slot));
                next = range.Last + 1;
            }
            Assert.Equal(16384, next);
        }
    }

    [Fact]
    public void Cluster_nodes_is_one_line_a_node_with_its_slot_ranges()
    {
        Assert.Equal(
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 10.0.0.1:7001@4053 myself,master - 0 0 0 connected 0-4095 10240-14335\n" +
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 10.0.0.2:7002@4054 master - 0 0 0 connected 4096-8191 14336-16383\n" +
            "cccccccccccccccccccccccccccccccccccccccc 10.0.0.3:7003@4055 master - 0 0 0 connected 8192-10239\n",
            ClusterReplies.Nodes(Owners()));
    }

    [Fact]
    public void A_node_without_slots_is_listed_bare_and_a_single_slot_range_as_one_number()
    {
        var owners = new SlotOwners([A, B, C], Enumerable.Range(0, 16384).Select(p => p == 5 ? 1 : 0).ToArray());
        var lines = ClusterReplies.Nodes(owners).Split('\n');
        Assert.EndsWith("connected 0-4 6-16383", lines[0]);
        Assert.EndsWith("connected 5", lines[1]);
        Assert.EndsWith("connected", lines[2]);
    }

    [Fact]
    public void A_leaving_node_lists_a_slot_without_a_known_owner_under_another_node_so_clients_move_it_away()
    {
        var owners = new SlotOwners([A, B, C], [0, 0, 1, 1, 2, 0, SlotOwners.Unknown, 1], leaving: true);
        Assert.Equal(
        [
            new SlotRange(0, 4095, 0),
            new SlotRange(4096, 8191, 1),
            new SlotRange(8192, 10239, 2),
            new SlotRange(10240, 12287, 0), // partition 5 still runs here until it is handed off
            new SlotRange(12288, 16383, 1), // partition 6 (between homes) goes with 7 to B
        ], owners.Ranges);
        // Alone there is nobody else to name.
        Assert.Equal([new SlotRange(0, 16383, 0)], new SlotOwners([A], [0, SlotOwners.Unknown], leaving: true).Ranges);
    }

    [Fact]
    public void Cluster_slots_has_redis_7s_shape()
    {
        var owners = new SlotOwners([A, B], [0, 1]);
        Assert.Equal(
            "*2\r\n" +
            "*3\r\n:0\r\n:8191\r\n*4\r\n$8\r\n10.0.0.1\r\n:7001\r\n$40\r\n" + new string('a', 40) + "\r\n*0\r\n" +
            "*3\r\n:8192\r\n:16383\r\n*4\r\n$8\r\n10.0.0.2\r\n:7002\r\n$40\r\n" + new string('b', 40) + "\r\n*0\r\n",
            Wire(ClusterReplies.Slots(owners)));
    }

    [Fact]
    public void Cluster_shards_has_redis_7s_shape_in_resp3()
    {
        var owners = new SlotOwners([A, B], [0, 1, 0, 1]);
        var text = Wire(ClusterReplies.Shards(owners), 3);
        Assert.StartsWith("*2\r\n%2\r\n$5\r\nslots\r\n*4\r\n:0\r\n:4095\r\n:8192\r\n:12287\r\n$5\r\nnodes\r\n*1\r\n%7\r\n$2\r\nid\r\n$40\r\n" + new string('a', 40) + "\r\n" +
            "$4\r\nport\r\n:7001\r\n$2\r\nip\r\n$8\r\n10.0.0.1\r\n$8\r\nendpoint\r\n$8\r\n10.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n" +
            "$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n", text);
    }

    [Fact]
    public void A_tls_only_port_is_tls_port_in_cluster_shards_and_the_port_in_slots_and_nodes()
    {
        var tls = A with { Endpoint = A.Endpoint with { Tls = true } };
        var owners = new SlotOwners([tls, B], [0, 1]);

        var shards = Wire(ClusterReplies.Shards(owners), 3);
        Assert.Contains("$2\r\nid\r\n$40\r\n" + new string('a', 40) + "\r\n$8\r\ntls-port\r\n:7001\r\n$2\r\nip\r\n", shards);
        Assert.Contains("$2\r\nid\r\n$40\r\n" + new string('b', 40) + "\r\n$4\r\nport\r\n:7002\r\n$2\r\nip\r\n", shards);
        Assert.DoesNotContain("$4\r\nport\r\n:7001\r\n", shards);
        Assert.StartsWith("*2\r\n*3\r\n:0\r\n:8191\r\n*4\r\n$8\r\n10.0.0.1\r\n:7001\r\n", Wire(ClusterReplies.Slots(owners)));
        Assert.StartsWith(new string('a', 40) + " 10.0.0.1:7001@4053 myself,master ", ClusterReplies.Nodes(owners));
    }

    [Fact]
    public void Cluster_info_says_ok_with_every_slot_assigned()
    {
        var info = ClusterReplies.Info(Owners()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 1)..]);
        Assert.Equal("ok", info["cluster_state"]);
        Assert.Equal("16384", info["cluster_slots_assigned"]);
        Assert.Equal("16384", info["cluster_slots_ok"]);
        Assert.Equal("3", info["cluster_known_nodes"]);
        Assert.Equal("3", info["cluster_size"]);
        Assert.Equal("0", info["cluster_current_epoch"]);
    }

    [Fact]
    public void A_node_id_is_forty_hex_digits_the_same_for_the_same_store_and_address()
    {
        var id = ClusterNode.IdOf("store-1", "akka.tcp://distcache@10.0.0.1:4053");
        Assert.Matches("^[0-9a-f]{40}$", id);
        Assert.Equal(id, ClusterNode.IdOf("store-1", "akka.tcp://distcache@10.0.0.1:4053"));
        Assert.NotEqual(id, ClusterNode.IdOf("store-1", "akka.tcp://distcache@10.0.0.1:4054"));
        Assert.NotEqual(id, ClusterNode.IdOf("store-2", "akka.tcp://distcache@10.0.0.1:4053"));
    }
}

/// <summary>The map built from the shard map and the members' roles.</summary>
public sealed class SlotOwnersBuildTests
{
    private static Akka.Actor.Address At(int port) => new("akka.tcp", "distcache", "127.0.0.1", port);

    private static readonly SlotOwners.Member Self = new(At(4053), ["resp=127.0.0.1:7001"]);

    private static SlotOwners Build(Func<int, Akka.Actor.Address?> nodeOfShard, params SlotOwners.Member[] members) =>
        SlotOwners.Build(8, 4, nodeOfShard, members.Append(Self), Self, new RespAnnounce("127.0.0.1", 9999), "store");

    [Fact]
    public void Partitions_follow_their_shards_nodes_and_each_node_is_named_by_its_role()
    {
        var owners = Build(shard => shard % 2 == 0 ? At(4053) : At(4054), new SlotOwners.Member(At(4054), ["resp=10.0.0.2:7002"]));
        Assert.Equal(["127.0.0.1:7001", "10.0.0.2:7002"], owners.Nodes.Select(n => n.Endpoint.ToString()));
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1], Enumerable.Range(0, 8).Select(owners.OwnerOfPartition));
        Assert.Equal(ClusterNode.IdOf("store", At(4054).ToString()), owners.Nodes[1].Id);
        Assert.Equal(4054, owners.Nodes[1].BusPort);
    }

    [Fact]
    public void A_member_without_a_redis_endpoint_is_not_a_node_and_its_partitions_are_unknown()
    {
        var owners = Build(shard => shard == 3 ? At(4055) : shard == 2 ? null : At(4053), new SlotOwners.Member(At(4055), ["cache"]));
        Assert.Single(owners.Nodes);
        Assert.Equal([0, 0, SlotOwners.Unknown, SlotOwners.Unknown, 0, 0, SlotOwners.Unknown, SlotOwners.Unknown],
            Enumerable.Range(0, 8).Select(owners.OwnerOfPartition));
        // Listed under this node, so the map has no hole.
        Assert.Equal([new SlotRange(0, 16383, 0)], owners.Ranges);
    }

    [Fact]
    public void This_node_without_a_role_is_named_by_the_port_it_listens_on()
    {
        var bare = new SlotOwners.Member(At(4053), []);
        var owners = SlotOwners.Build(8, 4, _ => At(4053), [bare], bare, new RespAnnounce("127.0.0.1", 9999), "store");
        Assert.Equal("127.0.0.1:9999", owners.Nodes.Single().Endpoint.ToString());
    }
}
