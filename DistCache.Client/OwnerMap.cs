using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Client;

/// <summary>The client's copy of which node owns each partition, learned from a gateway
/// (<see cref="PartitionOwners"/>): key → partition (the node's own hash) → the owner's gateway path. Only a
/// routing hint: unknown answers null and the request goes through the ClusterClient; a stale answer costs
/// the request one forward on the node it reaches. Written by the correlator, readable from any thread.</summary>
internal sealed class OwnerMap
{
    /// <summary>As often as the gateways refresh their own shard maps: asking more often learns nothing new.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private volatile PartitionOwners? _owners;

    public int Partitions => _owners?.OwnerOfPartition.Length ?? 0;

    /// <summary>The gateway paths the current table names.</summary>
    public IReadOnlyList<string> Gateways => _owners?.Gateways ?? [];

    /// <summary>Partitions whose owner is known.</summary>
    public int Known
    {
        get
        {
            var known = 0;
            for (var p = 0; p < Partitions; p++)
                known += OwnerOf(p) is null ? 0 : 1;
            return known;
        }
    }

    public void Update(PartitionOwners owners)
    {
        // A table from the wire that could not route anything replaces nothing.
        if (owners.Gateways is not null && owners.OwnerOfPartition is { Length: > 0 })
            _owners = owners;
    }

    /// <summary>The owner's gateway path for a keyed command, or null when the command has no single key or its
    /// owner is unknown (MGET, MSET and cluster-wide commands are the receiving gateway's to split).</summary>
    public string? OwnerOf(IClientCommand command)
    {
        var owners = _owners;
        if (owners is null || command is not ICacheCommand { Key.IsNull: false } keyed)
            return null;
        return OwnerIn(owners, KeyHasher.PartitionOf(keyed.Key, owners.OwnerOfPartition.Length));
    }

    public string? OwnerOf(int partition) => _owners is { } owners ? OwnerIn(owners, partition) : null;

    private static string? OwnerIn(PartitionOwners owners, int partition) =>
        (uint)partition < (uint)owners.OwnerOfPartition.Length && owners.OwnerOfPartition[partition] is var index
            && (uint)index < (uint)owners.Gateways.Length
            ? owners.Gateways[index]
            : null;
}
