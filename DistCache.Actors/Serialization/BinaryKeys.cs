using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Actors.Serialization;

/// <summary>Whether stored data holds a key that is not valid UTF-8: such data is written as format 6, which
/// releases that read keys as text refuse (they would decode it with replacement characters and merge keys).</summary>
internal static class BinaryKeys
{
    public static bool In(object stored) => stored switch
    {
        PartitionChanged changed => In(changed),
        PartitionBurst burst => burst.Writes.Any(In),
        PartitionSnapshot snapshot => snapshot.Entries.Any(e => !e.Key.IsText) || (snapshot.Sliding?.Any(s => !s.Key.IsText) ?? false),
        ValueWritten written => !written.Key.IsText,
        KeyRemoved removed => !removed.Key.IsText,
        _ => false,
    };

    private static bool In(PartitionChanged changed)
    {
        foreach (var change in changed.Changes)
        {
            var key = change switch
            {
                EntrySet set => set.Key,
                EntryRemoved removed => removed.Key,
                EntryExpiry expiry => expiry.Key,
                EntrySliding sliding => sliding.Key,
                _ => default,
            };
            if (!key.IsText)
                return true;
        }
        return false;
    }
}
