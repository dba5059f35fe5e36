using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>What a sorted-set key holds: a member→node dictionary (ZSCORE, ZADD's lookup in O(1)) and the
/// <see cref="SortedSetIndex"/> the nodes live in (ranks and ranges in O(log n)), as Redis pairs a dict with
/// a skip list. Changed in place by <see cref="PartitionState.Apply"/> only, with the member bytes kept as
/// it changes so the limits cost nothing to check.</summary>
public sealed class SortedSetValue
{
    // A member's dictionary slot (24 B + bucket), its skip-list node (~48 B) and level array (~45 B on
    // average at P = 1/4), and its byte array's header: measured roughly, as the hash's overhead is.
    public const int MemberOverheadBytes = 144;

    // Redis 7 keeps a sorted set as a listpack up to these (zset-max-listpack-entries, zset-max-listpack-value).
    public const int ListpackEntries = 128;
    public const int ListpackValueBytes = 64;

    private readonly Dictionary<CacheKey, SortedSetIndex.Node> _members;

    public SortedSetValue(int capacity = 0) => _members = new Dictionary<CacheKey, SortedSetIndex.Node>(capacity);

    public SortedSetIndex Index { get; } = new();

    public int Count => _members.Count;

    /// <summary>The bytes of every member (what the per-collection byte limit counts, with 8 per score).</summary>
    public long DataBytes { get; private set; }

    public long PayloadBytes => DataBytes + (long)Count * MemberOverheadBytes;

    /// <summary>Redis converts a listpack to a skip list once it outgrows the thresholds and never back
    /// while the key lives (t_zset.c zsetConvertAndExpand), so OBJECT ENCODING says "skiplist" from then on.</summary>
    public bool IsSkipList { get; private set; }

    public bool TryGetScore(CacheKey member, out double score)
    {
        if (_members.TryGetValue(member, out var node))
        {
            score = node.Score;
            return true;
        }
        score = 0;
        return false;
    }

    public IEnumerable<CacheKey> Members => _members.Keys;

    /// <summary>Sets the member's score (adding it when absent). A changed score moves the node: the index
    /// is ordered by score, so the node is removed and inserted again, as Redis's zslUpdateScore does
    /// when the node's position changes.</summary>
    public void Set(CacheKey member, double score)
    {
        if (_members.TryGetValue(member, out var old))
        {
            if (old.Score.Equals(score))
                return;
            Index.Remove(old.Member, old.Score);
            _members[old.Member] = Index.Insert(old.Member, score);
            return;
        }
        _members[member] = Index.Insert(member, score);
        DataBytes += member.Length + sizeof(double);
        if (Count > ListpackEntries || member.Length > ListpackValueBytes)
            IsSkipList = true;
    }

    public bool Remove(CacheKey member)
    {
        if (!_members.Remove(member, out var node))
            return false;
        Index.Remove(node.Member, node.Score);
        DataBytes -= member.Length + sizeof(double);
        return true;
    }

    /// <summary>The members in order as events and snapshots carry them (a copy: the set goes on changing).</summary>
    public SortedSetEntry[] ToEntries()
    {
        var entries = new SortedSetEntry[Count];
        var i = 0;
        for (var node = Index.First; node is not null; node = node.Next)
            entries[i++] = new SortedSetEntry(node.Member, node.Score);
        return entries;
    }

    public static SortedSetValue From(IReadOnlyCollection<SortedSetEntry> entries)
    {
        var set = new SortedSetValue(entries.Count);
        foreach (var entry in entries)
            set.Set(entry.Member, entry.Score);
        return set;
    }
}
