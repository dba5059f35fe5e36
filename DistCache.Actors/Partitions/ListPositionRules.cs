namespace DistCache.Actors.Partitions;

/// <summary>Redis's index arithmetic for lists (t_list.c): negative indexes count from the tail, ranges are
/// clamped, and searches for an element from either end.</summary>
public static class ListPositionRules
{
    /// <summary>LINDEX and LSET's index as a position in the list, or null past either end.</summary>
    public static int? Index(long index, int count)
    {
        if (index < 0)
            index += count;
        return index >= 0 && index < count ? (int)index : null;
    }

    /// <summary>LRANGE's start and length after clamping (length 0 for an empty range).</summary>
    public static (int Start, int Count) Range(long start, long stop, int count)
    {
        if (start < 0)
            start += count;
        if (stop < 0)
            stop += count;
        if (start < 0)
            start = 0;
        if (start > stop || start >= count)
            return (0, 0);
        if (stop >= count)
            stop = count - 1;
        return ((int)start, (int)(stop - start + 1));
    }

    /// <summary>LTRIM's effect: how many elements go from the head and from the tail to keep start..stop.</summary>
    public static (int Left, int Right) Trim(long start, long stop, int count)
    {
        var (from, length) = Range(start, stop, count);
        return length == 0 ? (count, 0) : (from, count - from - length);
    }

    /// <summary>The positions of up to |<paramref name="limit"/>| elements equal to <paramref name="element"/>
    /// (0: all), from the head when the limit is positive or 0, from the tail when negative; ascending.</summary>
    public static long[] Matches(ListValue list, ReadOnlySpan<byte> element, long limit)
    {
        var found = new List<long>();
        var wanted = limit == 0 ? long.MaxValue : Math.Abs(limit);
        var n = 0;
        foreach (var candidate in limit < 0 ? list.Backward() : list.Forward())
        {
            if (found.Count >= wanted)
                break;
            if (candidate.Span.SequenceEqual(element))
                found.Add(limit < 0 ? list.Count - 1 - n : n);
            n++;
        }
        if (limit < 0)
            found.Reverse();
        return [.. found];
    }

    /// <summary>LPOS: the positions of <paramref name="element"/> from the <paramref name="rank"/>th match
    /// (negative: counting from the tail), at most <paramref name="count"/> (0: all), looking at no more
    /// than <paramref name="maxLen"/> elements (0: all); in the order found.</summary>
    public static long[] Positions(ListValue? list, ReadOnlySpan<byte> element, long rank, long count, long maxLen)
    {
        if (list is null)
            return [];
        var found = new List<long>();
        var skip = rank > 0 ? rank - 1 : -(rank + 1);
        var wanted = count == 0 ? long.MaxValue : count;
        var looked = maxLen == 0 ? list.Count : Math.Min(maxLen, list.Count);
        var n = 0;
        foreach (var candidate in rank < 0 ? list.Backward() : list.Forward())
        {
            if (n >= looked || found.Count >= wanted)
                break;
            if (candidate.Span.SequenceEqual(element))
            {
                if (skip > 0)
                    skip--;
                else
                    found.Add(rank < 0 ? list.Count - 1 - n : n);
            }
            n++;
        }
        return [.. found];
    }
}
