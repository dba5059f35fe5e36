using DistCache.Wire;
using System.Globalization;
using Akka.Cluster.Sharding;
using DistCache.Protocol;

namespace DistCache.Actors.Cluster;

/// <summary>Routes a request to the entity of its key's partition; shard = partition mod shards, so the
/// grouping is fixed by configuration, not by a hash of the entity id. The region and the shard both ask
/// for a message's ids: a request carries its partition (the gateway hashed the key once), and the ids
/// are read from tables built here once, so neither hashes nor formats anything per message.</summary>
public sealed class PartitionMessageExtractor : IMessageExtractor
{
    private readonly int _partitions;
    private readonly string[] _entityIds;
    private readonly string[] _shardIds;
    private readonly Dictionary<string, string> _shardOfEntity;

    public PartitionMessageExtractor(int partitions, int shards)
    {
        _partitions = partitions;
        _entityIds = new string[partitions];
        _shardIds = new string[partitions];
        _shardOfEntity = new Dictionary<string, string>(partitions, StringComparer.Ordinal);
        for (var p = 0; p < partitions; p++)
        {
            _entityIds[p] = p.ToString(CultureInfo.InvariantCulture);
            _shardIds[p] = (p % shards).ToString(CultureInfo.InvariantCulture);
            _shardOfEntity[_entityIds[p]] = _shardIds[p];
        }
    }

    /// <summary>The partition a request goes to, or −1 when it names none (or one out of range).</summary>
    public int PartitionOf(object message) => message switch
    {
        ClientRequest { Partition: >= 0 and var p } when p < _partitions => p,
        ClientRequest { Command: ICacheCommand keyed } => KeyHasher.PartitionOf(keyed.Key, _partitions),
        ClientRequest { Command: IPartitionCommand part } when part.Partition >= 0 && part.Partition < _partitions => part.Partition,
        PartitionRequests { Partition: >= 0 and var p } when p < _partitions => p,
        TracedRequest traced => PartitionOf(traced.Request),
        _ => -1,
    };

    public string? EntityId(object message) => PartitionOf(message) is >= 0 and var p ? _entityIds[p] : null;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => PartitionOf(message) is >= 0 and var p ? _shardIds[p] : null;

    public string ShardId(string entityId, object? messageHint = null) =>
        messageHint is not null && PartitionOf(messageHint) is >= 0 and var p ? _shardIds[p]
        : _shardOfEntity.TryGetValue(entityId, out var shard) ? shard
        : throw new ArgumentException($"'{entityId}' is not a partition of 0..{_partitions - 1}", nameof(entityId));
}
