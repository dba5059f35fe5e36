using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>What a command decided: the event to journal (none for reads and rejections) and the reply
/// to send once that event is stored. <see cref="Applied"/>: the state already holds the event (a transaction,
/// whose commands each decide against what the one before left), so only its request is left to remember.</summary>
public readonly record struct Decision(PartitionChanged? Event, ICacheReply Reply, bool Applied = false)
{
    public static Decision Read(ICacheReply reply) => new(null, reply);

    public static Decision Reject(CacheErrorCode code, long size = 0, long limit = 0) => new(null, new Rejected(code, size, limit));
}
