using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>What a command decided: the event to journal (none for reads and rejections) and the reply
/// to send once that event is stored.</summary>
public readonly record struct Decision(PartitionChanged? Event, ICacheReply Reply)
{
    public static Decision Read(ICacheReply reply) => new(null, reply);

    public static Decision Reject(CacheErrorCode code, long size = 0, long limit = 0) => new(null, new Rejected(code, size, limit));
}
