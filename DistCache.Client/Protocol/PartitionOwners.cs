namespace DistCache.Protocol;

/// <summary>Asks a gateway which node owns each partition, so a client can send a keyed request straight to
/// the owner's gateway (see <see cref="PartitionOwners"/>). Not a command: it is answered by the gateway
/// itself and costs no partition any work.</summary>
public sealed record GetPartitionOwners : IDistCacheMessage
{
    public static readonly GetPartitionOwners Instance = new();
}

/// <summary>The owners as the answering gateway last saw them: <see cref="OwnerOfPartition"/>[p] is the index in
/// <see cref="Gateways"/> of the gateway actor path of the node that hosts partition p, or −1 when unknown.
/// Each node's path travels once rather than once per partition. A hint, never an authority: a request sent
/// by a stale table reaches a gateway that forwards it through the shard region.</summary>
public sealed record PartitionOwners(string[] Gateways, int[] OwnerOfPartition) : IDistCacheMessage;
