using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Actors.Partitions;

/// <summary>What DistCache promises for commands on several keys (MSETNX, RENAME, RENAMENX, COPY): they are
/// atomic because one partition applies them as one journaled write, so all their keys must share a slot
/// (a partition owns whole slots). Keys in different slots are refused (CROSSSLOT), exactly as Redis Cluster
/// decides, even when their slots happen to share a partition: which slots share one depends on the partition
/// count, and a command's success must not.</summary>
public static class MultiKeyCommands
{
    public static Rejected? Check(IMultiKeyCommand command, PartitionLimits limits, int partitions)
    {
        if (command is MultiSetIfAbsent { Entries: null or { Length: 0 } })
            return CommandValidator.Missing();
        if (command is ListMultiPop { Lists: null or { Length: 0 } } or ListMultiPop { Count: < 1 } or ListMove { Key.IsNull: true }
            or SetStore { Sources: null or [] } or SetMove { Member.IsNull: true })
            return CommandValidator.Missing();
        if (command is MultiSetIfAbsent msetnx)
        {
            foreach (var entry in msetnx.Entries)
            {
                if (entry is null)
                    return CommandValidator.Missing();
                if (CommandValidator.CheckValue(entry.Value, limits) is { } badValue)
                    return badValue;
            }
        }
        var first = -1;
        foreach (var key in command.Keys)
        {
            if (CommandValidator.CheckKey(key, limits) is { } bad)
                return bad;
            if (partitions <= 0)
                continue;
            var slot = KeySlot.Of(key);
            if (first >= 0 && slot != first)
                return new Rejected(CacheErrorCode.CrossSlot);
            first = slot;
        }
        return null;
    }

    /// <summary>SETRANGE past the value limit fails before it is sent (the partition checks the length the
    /// write leaves against the stored value), and so no offset can overflow there. An empty write is
    /// never too large: Redis answers it with the length as it is.</summary>
    public static Rejected? CheckRange(SetRange range, PartitionLimits limits) =>
        range.Offset < 0 ? new Rejected(CacheErrorCode.InvalidArgument)
        : range.Data.Length > 0 && range.Offset > limits.MaxValueBytes - (long)range.Data.Length
            ? new Rejected(CacheErrorCode.ValueTooLarge, range.Offset > long.MaxValue - range.Data.Length ? long.MaxValue : range.Offset + range.Data.Length, limits.MaxValueBytes)
            : null;
}
