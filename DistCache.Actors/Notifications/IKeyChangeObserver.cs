using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Actors.Notifications;

/// <summary>Something on a node that wants to hear of the changes its partitions make: keyspace notifications,
/// and the invalidations of client tracking and near caches. Called on the partition's thread, before the
/// change is acknowledged: it must only queue what it needs, never block or call back into the partition.</summary>
public interface IKeyChangeObserver
{
    /// <summary>Whether it wants changes now; while no observer does, partitions report nothing (and pay a check).</summary>
    bool Enabled { get; }

    /// <summary>A write command was applied in memory (<paramref name="write"/>: everything it changed, evictions included),
    /// before its acknowledgement is sent. A transaction reports its EXEC once, with all of its changes.</summary>
    void Written(int partition, IClientCommand command, PartitionChanged write);

    /// <summary>Whether it wants to know which keys a write created (Redis's "new" event); the partition looks only then.</summary>
    bool WantsCreatedKeys => false;

    /// <summary>As <see cref="Written(int, IClientCommand, PartitionChanged)"/>, with the keys that did not exist before
    /// the write (null: not looked for, or not known: a transaction is applied while it is decided).</summary>
    void Written(int partition, IClientCommand command, PartitionChanged write, IReadOnlyCollection<CacheKey>? created) =>
        Written(partition, command, write);

    /// <summary>A key was removed because its time had passed (lazy or active expiry), which no journal event records.</summary>
    void Expired(int partition, CacheKey key);

    /// <summary>The partition started serving on this node, from its snapshot and journal (a move, or a restart
    /// after a crash): what it holds may differ from what was last reported for its keys.</summary>
    void Recovered(int partition);
}
