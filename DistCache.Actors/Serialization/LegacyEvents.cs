using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Actors.Serialization;

/// <summary>Format 1-2 events, upcast as they are read to the one event a partition applies today, so
/// <c>PartitionState.Apply</c> knows only current events. Each becomes the write it was: its change, its
/// request id, and the reply a retry of it must get (as the partition remembered it when it journaled it).</summary>
internal static class LegacyEvents
{
    public static PartitionChanged Upcast(ValueWritten written) => new(
        written.RequestId,
        written.IsCounter && IntegerValue.TryRead(written.Value, out var n) ? new CounterValue(n) : Stored.Instance,
        [new EntrySet(written.Key, written.Value, 0)]);

    public static PartitionChanged Upcast(KeyRemoved removed) => new(removed.RequestId, new Deleted(true), [new EntryRemoved(removed.Key)]);
}
