namespace DistCache.Protocol;

/// <summary>A client announcing itself (and staying announced) to the node it reaches.</summary>
public sealed record ClientHeartbeat(Guid ClientId, string Address) : IDistCacheMessage
{
    /// <summary>How often a client sends one; the node's silence threshold is checked against it.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
}

/// <summary>The reply to a heartbeat, with the addresses of the cluster's members as the node sees them, so a
/// client keeps every live node as a contact it can fail over to.</summary>
public sealed record HeartbeatAck(string[] Members) : IDistCacheMessage;

/// <summary>Asked of every member's gateway to build the cluster status.</summary>
public sealed record GetNodeStatus : IDistCacheMessage
{
    public static readonly GetNodeStatus Instance = new();
}

public sealed record NodeStatus(string Address, int Partitions, long Keys, long Bytes, double OperationsPerSecond, ClientInfo[] Clients)
    : IDistCacheMessage;

/// <summary>A client a node has heard from; <see cref="Silent"/> once its heartbeats stop arriving.</summary>
public sealed record ClientInfo(string Id, string Address, long LastSeenUnixMs, bool Silent) : IDistCacheMessage;

/// <summary>`status`: the members with what each holds, and the connected clients.</summary>
public sealed record GetClusterStatus : IClientCommand
{
    public static readonly GetClusterStatus Instance = new();
}

public sealed record NodeRow(string Address, string Status, bool Reachable, bool Answered, int Partitions, long Keys, long Bytes,
    double OperationsPerSecond) : IDistCacheMessage;

/// <summary><see cref="Balanced"/>: every partition runs and the Up members are within one shard of each
/// other; <see cref="Balance"/> says so in words, or how far shards still have to move.</summary>
public sealed record ClusterStatus(NodeRow[] Nodes, ClientInfo[] Clients, bool Balanced, string Balance) : ICacheReply;
