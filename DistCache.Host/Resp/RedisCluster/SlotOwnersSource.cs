using Akka.Cluster;
using DistCache.Actors.Cluster;

namespace DistCache.Host.Resp.RedisCluster;

/// <summary>Builds <see cref="SlotOwners"/> from what the node knows: the gateway's shard map (where each
/// shard lives, refreshed every 2 s) and the cluster membership (each member's Redis endpoint is in its
/// roles, see <see cref="RespAnnounce"/>). Rebuilt at most every half second, so a redirected request
/// costs an array lookup, not a walk over the membership. <paramref name="fallback"/> names this node when
/// its member has no Redis role (a port started after the node, as some tests do).</summary>
public sealed class SlotOwnersSource(DistCacheNode node, RespAnnounce fallback)
{
    // Below the shard map's own refresh interval (2 s): the map, not this cache, bounds how stale an owner is.
    private const long MaxAgeMilliseconds = 500;

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(node.System);
    // One reference, read and replaced whole by the connections' threads (a struct could be read torn).
    private volatile Built? _current;

    public SlotOwners Current
    {
        get
        {
            var now = Environment.TickCount64;
            if (_current is { } current && now - current.At < MaxAgeMilliseconds)
                return current.Owners;
            // Two threads may both rebuild; either result is current.
            var owners = Build();
            _current = new Built(owners, now);
            return owners;
        }
    }

    private SlotOwners Build()
    {
        // Members that still host shards: Leaving ones hand off theirs while they leave.
        var members = _cluster.State.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving)
            .Select(m => new SlotOwners.Member(m.Address, m.Roles)).ToArray();
        return SlotOwners.Build(node.Settings.Partitions, node.Settings.Shards, node.ShardMap.NodeOf, members,
            new SlotOwners.Member(_cluster.SelfAddress, _cluster.SelfRoles), fallback, node.StoreId, node.IsLeaving);
    }

    private sealed record Built(SlotOwners Owners, long At);
}
