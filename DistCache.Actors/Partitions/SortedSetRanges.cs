using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Which members a range covers, as Redis's t_zset.c finds them (zslNthInRange, zslNthInLexRange,
/// the index arithmetic of zrangeGenericCommand): the first and last node in O(log n) through the skip
/// list, the offset of LIMIT by rank, never by walking. Pure: used by ZRANGE, ZCOUNT, ZLEXCOUNT,
/// ZREMRANGEBY* and ZRANGESTORE alike.</summary>
public static class SortedSetRanges
{
    /// <summary>The nodes of <paramref name="set"/> that the query covers, in reply order.</summary>
    public static List<SortedSetIndex.Node> Select(SortedSetValue? set, SortedSetRange range, bool reverse = false, long offset = 0, long limit = -1)
    {
        var nodes = new List<SortedSetIndex.Node>();
        if (set is null || set.Count == 0 || offset < 0 || limit == 0)
            return nodes;
        var index = set.Index;
        long first, last;
        if (range is RankRange byRank)
        {
            if (!TryRanks(byRank, index.Count, out first, out last))
                return nodes;
            if (reverse)
                (first, last) = (index.Count - 1 - last, index.Count - 1 - first);
        }
        else if (!TryBounds(index, range, out first, out last))
        {
            return nodes;
        }
        // Ranks first..last, ascending; reply order walks them forward or backward.
        var available = last - first + 1 - offset;
        if (available <= 0)
            return nodes;
        var take = limit < 0 ? available : Math.Min(limit, available);
        var node = index.At(reverse ? last - offset : first + offset);
        for (long i = 0; i < take && node is not null; i++)
        {
            nodes.Add(node);
            node = reverse ? node.Backward : node.Next;
        }
        return nodes;
    }

    /// <summary>ZCOUNT, ZLEXCOUNT: how many members the range covers, in O(log n).</summary>
    public static long Count(SortedSetValue? set, SortedSetRange range)
    {
        if (set is null || set.Count == 0)
            return 0;
        if (range is RankRange byRank)
            return TryRanks(byRank, set.Count, out var a, out var b) ? b - a + 1 : 0;
        return TryBounds(set.Index, range, out var first, out var last) ? last - first + 1 : 0;
    }

    // Redis's index normalisation: negative ranks count from the end, the start is clamped to 0 and the
    // stop to the last rank; a start past the stop or the end is empty.
    private static bool TryRanks(RankRange range, long count, out long first, out long last)
    {
        first = range.Start < 0 ? range.Start + count : range.Start;
        last = range.Stop < 0 ? range.Stop + count : range.Stop;
        if (first < 0)
            first = 0;
        if (first > last || first >= count)
            return false;
        if (last >= count)
            last = count - 1;
        return true;
    }

    // The ranks of the first and last node inside a score or lex range.
    private static bool TryBounds(SortedSetIndex index, SortedSetRange range, out long first, out long last)
    {
        first = last = -1;
        SortedSetIndex.Node? low, high;
        switch (range)
        {
            case ScoreRange byScore:
                if (IsEmpty(byScore))
                    return false;
                low = index.FirstWhere(n => !AboveMin(n.Score, byScore));
                high = index.LastWhere(n => BelowMax(n.Score, byScore));
                if (low is null || high is null || !BelowMax(low.Score, byScore) || !AboveMin(high.Score, byScore))
                    return false;
                break;
            case LexRange byLex:
                if (IsEmpty(byLex))
                    return false;
                low = index.FirstWhere(n => !AboveMin(n.Member, byLex.Min));
                high = index.LastWhere(n => BelowMax(n.Member, byLex.Max));
                if (low is null || high is null || !BelowMax(low.Member, byLex.Max) || !AboveMin(high.Member, byLex.Min))
                    return false;
                break;
            default:
                return false;
        }
        first = index.RankOf(low);
        last = index.RankOf(high);
        return first <= last;
    }

    public static bool IsEmpty(ScoreRange range) =>
        range.Min > range.Max || (range.Min == range.Max && (range.MinExclusive || range.MaxExclusive));

    public static bool AboveMin(double score, ScoreRange range) => range.MinExclusive ? score > range.Min : score >= range.Min;

    public static bool BelowMax(double score, ScoreRange range) => range.MaxExclusive ? score < range.Max : score <= range.Max;

    // Redis's "-" sorts before and "+" after every member; both are exclusive (zslParseLexRangeItem).
    public static bool IsEmpty(LexRange range)
    {
        var order = CompareBounds(range.Min, range.Max);
        return order > 0 || (order == 0 && (range.Min.Exclusive || range.Max.Exclusive || range.Min.Infinity != 0));
    }

    public static bool AboveMin(CacheKey member, LexBound min) => min.Infinity switch
    {
        < 0 => true,
        > 0 => false,
        _ => min.Exclusive ? member.CompareTo(min.Value) > 0 : member.CompareTo(min.Value) >= 0,
    };

    public static bool BelowMax(CacheKey member, LexBound max) => max.Infinity switch
    {
        > 0 => true,
        < 0 => false,
        _ => max.Exclusive ? member.CompareTo(max.Value) < 0 : member.CompareTo(max.Value) <= 0,
    };

    private static int CompareBounds(LexBound a, LexBound b)
    {
        if (a.Infinity != 0 || b.Infinity != 0)
            return a.Infinity == b.Infinity ? 0 : a.Infinity < b.Infinity ? -1 : 1;
        return a.Value.CompareTo(b.Value);
    }
}
