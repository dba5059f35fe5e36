using Akka.Cluster;
using DistCache.Actors.Cluster;
using DistCache.Actors.Gateway;

namespace DistCache.Host.Resp.RedisCluster;

/// <summary>Builds <see cref="SlotOwners"/> from what the node knows: the gateway's shard map (where each
/// shard lives, refreshed every 2 s) and the cluster membership (each member's Redis endpoint is in its
/// roles, see <see cref="RespAnnounce"/>). Rebuilt at most every <see cref="MaxAge"/>, so a redirected
/// request costs an array lookup, not a walk over the membership.</summary>
public sealed class SlotOwnersSource(DistCacheNode node, RespAnnounce fallback)
{
    // Below the shard map's own refresh interval: the map, not this cache, bounds how stale an owner is.
    private static readonly long MaxAge = 500;

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(node.System);
    // One reference, read and replaced whole by the connections' threads (a struct could be read torn).
    private volatile Built? _current;

    /// <summary>The endpoint this node announces: its member role, or the port it listens on when it has none.</summary>
    public RespAnnounce Self => RespAnnounce.FromRoles(_cluster.SelfRoles) ?? fallback;

    public SlotOwners Current
    {
        get
        {
            var now = Environment.TickCount64;
            if (_current is { } current && now - current.At < MaxAge)
                return current.Owners;
            // Two threads may both rebuild; either result is current.
            var owners = Build();
            _current = new Built(owners, now);
            return owners;
        }
    }

    private SlotOwners Build()
    {
        var self = _cluster.SelfAddress;
        var nodes = new List<ClusterNode> { new(ClusterNode.IdOf(node.StoreId, self.ToString()), Self, self.Port ?? 0, Myself: true) };
        var indexOf = new Dictionary<Akka.Actor.Address, int> { [self] = 0 };
        // Members that still host shards: Leaving ones hand off theirs while they leave.
        foreach (var member in _cluster.State.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving)
                     .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal))
        {
            if (member.Address == self || RespAnnounce.FromRoles(member.Roles) is not { } endpoint)
                continue;
            indexOf[member.Address] = nodes.Count;
            nodes.Add(new ClusterNode(ClusterNode.IdOf(node.StoreId, member.Address.ToString()), endpoint, member.Address.Port ?? 0, Myself: false));
        }
        var partitions = node.Settings.Partitions;
        var shards = node.Settings.Shards;
        var owners = new int[partitions];
        for (var p = 0; p < partitions; p++)
            owners[p] = node.ShardMap.NodeOf(p % shards) is { } address && indexOf.TryGetValue(address, out var index) ? index : SlotOwners.Unknown;
        return new SlotOwners(nodes, owners);
    }

    private sealed record Built(SlotOwners Owners, long At);
}
