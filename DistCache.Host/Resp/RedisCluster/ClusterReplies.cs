using System.Globalization;
using System.Text;

namespace DistCache.Host.Resp.RedisCluster;

/// <summary>CLUSTER INFO, NODES, SLOTS and SHARDS in Redis 7's formats (src/cluster.c), from a <see cref="SlotOwners"/>.
/// DistCache has no replicas (a partition's copy is its journal) and no epochs, so every node is a master,
/// epochs are 0, and every node is connected as long as it is a member.</summary>
public static class ClusterReplies
{
    public static string Info(SlotOwners owners) => string.Concat(new (string, string)[]
    {
        ("cluster_state", "ok"),
        ("cluster_slots_assigned", "16384"),
        ("cluster_slots_ok", "16384"),
        ("cluster_slots_pfail", "0"),
        ("cluster_slots_fail", "0"),
        ("cluster_known_nodes", Int(owners.Nodes.Count)),
        ("cluster_size", Int(owners.Masters)),
        ("cluster_current_epoch", "0"),
        ("cluster_my_epoch", "0"),
        ("cluster_stats_messages_sent", "0"),
        ("cluster_stats_messages_received", "0"),
        ("total_cluster_links_buffer_limit_exceeded", "0"),
    }.Select(f => $"{f.Item1}:{f.Item2}\r\n"));

    /// <summary>One line a node: id, host:port@cport, flags, master ("-"), ping-sent, pong-recv, config-epoch,
    /// link-state, then its slot ranges. The cluster bus port is the node's Akka port (its real bus).</summary>
    public static string Nodes(SlotOwners owners)
    {
        var text = new StringBuilder();
        for (var i = 0; i < owners.Nodes.Count; i++)
        {
            var node = owners.Nodes[i];
            text.Append(node.Id).Append(' ').Append(node.Endpoint.Host).Append(':').Append(Int(node.Endpoint.Port))
                .Append('@').Append(Int(node.BusPort)).Append(' ').Append(node.Myself ? "myself,master" : "master")
                .Append(" - 0 0 0 connected");
            foreach (var range in owners.Ranges)
            {
                if (range.Node != i)
                    continue;
                text.Append(' ').Append(Int(range.First));
                if (range.Last != range.First)
                    text.Append('-').Append(Int(range.Last));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>One entry a range: first slot, last slot, then the node as [host, port, id, metadata].</summary>
    public static RespValue Slots(SlotOwners owners) => new RespArray(owners.Ranges.Select(range => (RespValue)new RespArray([
        new RespInteger(range.First),
        new RespInteger(range.Last),
        NodeEntry(owners.Nodes[range.Node]),
    ])).ToArray());

    /// <summary>One shard a node (each node is its own shard, without replicas): its slots as a flat list of
    /// first/last pairs, and the node's id, port, ip, endpoint, role, replication offset and health. A node whose
    /// Redis port speaks TLS only names it tls-port, as Redis with tls-cluster and no plain port does; NODES and
    /// SLOTS name that same port, as Redis does then.</summary>
    public static RespValue Shards(SlotOwners owners) => new RespArray(owners.Nodes.Select((node, i) => (RespValue)new RespMap([
        Pair("slots", new RespArray(owners.Ranges.Where(r => r.Node == i)
            .SelectMany(r => new RespValue[] { new RespInteger(r.First), new RespInteger(r.Last) }).ToArray())),
        Pair("nodes", new RespArray([new RespMap([
            Pair("id", RespValue.Bulk(node.Id)),
            Pair(node.Endpoint.Tls ? "tls-port" : "port", new RespInteger(node.Endpoint.Port)),
            Pair("ip", RespValue.Bulk(node.Endpoint.Host)),
            Pair("endpoint", RespValue.Bulk(node.Endpoint.Host)),
            Pair("role", RespValue.Bulk("master")),
            Pair("replication-offset", new RespInteger(0)),
            Pair("health", RespValue.Bulk("online")),
        ])])),
    ])).ToArray());

    private static RespValue NodeEntry(ClusterNode node) => new RespArray([
        RespValue.Bulk(node.Endpoint.Host),
        new RespInteger(node.Endpoint.Port),
        RespValue.Bulk(node.Id),
        new RespMap([]),
    ]);

    private static KeyValuePair<RespValue, RespValue> Pair(string key, RespValue value) => new(RespValue.Bulk(key), value);

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
