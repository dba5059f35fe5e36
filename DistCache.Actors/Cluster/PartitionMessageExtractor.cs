using System.Globalization;
using Akka.Cluster.Sharding;
using DistCache.Actors.Partitions;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Cluster;

/// <summary>Routes a request to the entity of its key's partition; shard = partition mod shards, so the
/// grouping is fixed by configuration, not by a hash of the entity id.</summary>
public sealed class PartitionMessageExtractor : IMessageExtractor
{
    private readonly int _partitions;
    private readonly int _shards;

    public PartitionMessageExtractor(int partitions, int shards)
    {
        _partitions = partitions;
        _shards = shards;
    }

    public string? EntityId(object message) => message switch
    {
        ClientRequest { Command: ICacheCommand keyed } => PartitionOf(keyed.Key),
        ClientRequest { Command: IPartitionCommand part } when part.Partition >= 0 && part.Partition < _partitions =>
            part.Partition.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message) is { } entityId ? ShardId(entityId, message) : null;

    public string ShardId(string entityId, object? messageHint = null) =>
        (int.Parse(entityId, CultureInfo.InvariantCulture) % _shards).ToString(CultureInfo.InvariantCulture);

    private string PartitionOf(string key) =>
        KeyHasher.PartitionOf(key, _partitions).ToString(CultureInfo.InvariantCulture);
}
