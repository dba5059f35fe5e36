using Akka.Actor;
using DistCache.Actors.Cluster;
using DistCache.Wire;

namespace DistCache.Host.Resp.RedisCluster;

/// <summary>Which node owns each slot, as this node last heard: the owner of a slot is the node hosting the
/// partition that owns it (<see cref="KeySlot.PartitionOf(int, int)"/>). Immutable; rebuilt when the shard map
/// or the membership changes (<see cref="SlotOwnersSource"/>).</summary>
public sealed class SlotOwners
{
    public const int Unknown = -1;

    // The node index owning each partition, or Unknown while the partition is between homes (or on a node
    // that announces no Redis endpoint).
    private readonly int[] _partitionOwners;
    private readonly bool _leaving;

    /// <param name="nodes">Every node with a Redis endpoint, this one included (exactly one is Myself).</param>
    /// <param name="partitionOwners">For each partition, its node's index in <paramref name="nodes"/>, or <see cref="Unknown"/>.</param>
    /// <param name="leaving">This node is leaving: a slot without a known owner is listed under another node
    /// (<see cref="AnotherNode"/>), never under this one, so a client reading the map moves it away from here.</param>
    public SlotOwners(IReadOnlyList<ClusterNode> nodes, int[] partitionOwners, bool leaving = false)
    {
        Nodes = nodes;
        _partitionOwners = partitionOwners;
        _leaving = leaving;
        Self = nodes.Select((n, i) => (n, i)).Single(x => x.n.Myself).i;
        Ranges = Group();
    }

    /// <summary>A cluster member as the map needs it: its address and its roles (where its Redis endpoint is).</summary>
    public sealed record Member(Address Address, IEnumerable<string> Roles);

    /// <summary>The map from the shard map (<paramref name="nodeOfShard"/>; partition p lives in shard p mod
    /// <paramref name="shards"/>) and the members. Only members that announce a Redis endpoint are nodes; a
    /// partition on a member without one, or in a shard no member reports, has an unknown owner. This node is
    /// always a node, named by its role or else by <paramref name="fallback"/>.</summary>
    public static SlotOwners Build(int partitions, int shards, Func<int, Address?> nodeOfShard, IEnumerable<Member> members, Member self,
        RespAnnounce fallback, string storeId, bool leaving = false)
    {
        var nodes = new List<ClusterNode>
        {
            new(ClusterNode.IdOf(storeId, self.Address.ToString()), RespAnnounce.FromRoles(self.Roles) ?? fallback, self.Address.Port ?? 0, Myself: true),
        };
        var indexOf = new Dictionary<Address, int> { [self.Address] = 0 };
        foreach (var member in members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal))
        {
            if (member.Address == self.Address || RespAnnounce.FromRoles(member.Roles) is not { } endpoint)
                continue;
            indexOf[member.Address] = nodes.Count;
            nodes.Add(new ClusterNode(ClusterNode.IdOf(storeId, member.Address.ToString()), endpoint, member.Address.Port ?? 0, Myself: false));
        }
        var owners = new int[partitions];
        for (var p = 0; p < partitions; p++)
            owners[p] = nodeOfShard(p % shards) is { } address && indexOf.TryGetValue(address, out var index) ? index : Unknown;
        return new SlotOwners(nodes, owners, leaving);
    }

    public IReadOnlyList<ClusterNode> Nodes { get; }

    public int Self { get; }

    public int Partitions => _partitionOwners.Length;

    /// <summary>Contiguous slot ranges and their node, in slot order, covering all 16384 slots. A slot whose
    /// owner is unknown is listed under this node: it holds a request for it until the partition lands and
    /// forwards it there, so the client is served, and the map never shows a hole (cluster_state stays ok).
    /// A leaving node lists such a slot under another node instead, which does the same.</summary>
    public IReadOnlyList<SlotRange> Ranges { get; }

    /// <summary>The node owning <paramref name="partition"/>, or <see cref="Unknown"/>.</summary>
    public int OwnerOfPartition(int partition) => _partitionOwners[partition];

    public int OwnerOfSlot(int slot) => _partitionOwners[KeySlot.PartitionOf(slot, _partitionOwners.Length)];

    /// <summary>A node other than this one for <paramref name="slot"/> (spread over the others by slot), or null
    /// when this node is alone: where a leaving node sends the clients of slots it no longer serves.</summary>
    public ClusterNode? AnotherNode(int slot)
    {
        var other = AnotherNodeIndex(slot);
        return other == Self ? null : Nodes[other];
    }

    private int AnotherNodeIndex(int slot)
    {
        var others = Nodes.Count - 1;
        if (others == 0)
            return Self;
        var pick = slot % others;
        return pick >= Self ? pick + 1 : pick;
    }

    /// <summary>Nodes that own at least one slot (Redis's cluster_size).</summary>
    public int Masters => Ranges.Select(r => r.Node).Distinct().Count();

    private SlotRange[] Group()
    {
        var ranges = new List<SlotRange>();
        for (var p = 0; p < _partitionOwners.Length; p++)
        {
            var first = KeySlot.FirstSlotOf(p, _partitionOwners.Length);
            var node = _partitionOwners[p] != Unknown ? _partitionOwners[p] : _leaving ? AnotherNodeIndex(first) : Self;
            var last = KeySlot.LastSlotOf(p, _partitionOwners.Length);
            if (ranges.Count > 0 && ranges[^1].Node == node)
                ranges[^1] = ranges[^1] with { Last = last };
            else
                ranges.Add(new SlotRange(first, last, node));
        }
        return ranges.ToArray();
    }
}

/// <summary>Slots <see cref="First"/> to <see cref="Last"/> (inclusive), owned by node <see cref="Node"/>.</summary>
public readonly record struct SlotRange(int First, int Last, int Node);
