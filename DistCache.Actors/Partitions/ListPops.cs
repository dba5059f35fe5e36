using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>What a pop takes from a list and the journal event that takes it, without changing the list:
/// one pure rule for LPOP, RPOP, LMPOP and LMOVE's source, so a blocked caller served by a later push can
/// be answered by the same rule.</summary>
public static class ListPops
{
    /// <summary>Up to <paramref name="count"/> (at least 1) elements from the head (<paramref name="left"/>)
    /// or the tail of a non-empty list, in the order popped, and the change: <see cref="ListTrimmed"/>, or
    /// <see cref="EntryRemoved"/> when it takes the last element (Redis deletes an empty list).</summary>
    public static (byte[][] Elements, EntryChange Change) Pop(CacheKey key, ListValue list, bool left, long count)
    {
        var taken = (int)Math.Min(count, list.Count);
        var elements = left ? list.Slice(0, taken) : list.SliceFromTail(taken);
        EntryChange change = taken == list.Count
            ? new EntryRemoved(key)
            : new ListTrimmed(key, left ? taken : 0, left ? 0 : taken);
        return (elements, change);
    }
}
