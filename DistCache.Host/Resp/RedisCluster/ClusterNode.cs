using System.Security.Cryptography;
using System.Text;
using DistCache.Actors.Cluster;

namespace DistCache.Host.Resp.RedisCluster;

/// <summary>One node as Redis Cluster clients see it: its 40-hex id, the Redis endpoint it announces, and
/// its cluster (Akka) port, which CLUSTER NODES shows as the bus port.</summary>
public sealed record ClusterNode(string Id, RespAnnounce Endpoint, int BusPort, bool Myself)
{
    /// <summary>Redis's node id is random and kept in nodes.conf; DistCache's is SHA-1 of the store id and the
    /// node's cluster address, so every node computes every other node's id from membership alone, and a node
    /// restarted on the same address (the same data) keeps its id, as a Redis node keeps its nodes.conf.</summary>
    public static string IdOf(string storeId, string clusterAddress) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(storeId + "\n" + clusterAddress)));
}
