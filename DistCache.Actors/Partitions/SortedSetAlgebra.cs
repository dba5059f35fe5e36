using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>ZUNION, ZINTER, ZDIFF and their STORE forms (t_zset.c zunionInterDiffGenericCommand): pure, so
/// the partition runs it for a STORE over its own keys and the Redis endpoint for a read gathered from
/// several partitions. A missing key is an empty set; a plain set is a sorted set whose members all score 1.</summary>
public static class SortedSetAlgebra
{
    // t_zset.c zuiNext gives a set member score 1.0; the ZUNION page: "sets are treated as sorted sets with score 1".
    private const double SetMemberScore = 1;

    /// <summary>Whether a key holding <paramref name="entry"/> may be an input: a sorted set, a set or
    /// nothing. Any other type is WRONGTYPE, as in Redis 7.</summary>
    public static bool Accepts(in CacheEntry? entry) => entry is not { } found || found.Type == SortedSetType.Instance || found.Type == SetType.Instance;

    /// <summary>An accepted input's members as the algebra takes them: a sorted set's entries, a set's members
    /// with score 1 (WEIGHTS and AGGREGATE then apply as to any score), null for a missing key.</summary>
    public static SortedSetEntry[]? InputOf(in CacheEntry? entry)
    {
        if (entry is not { } found)
            return null;
        if (found.SortedSet is { } sorted)
            return sorted.ToEntries();
        if (found.Set is not { } set)
            return null;
        var entries = new SortedSetEntry[set.Count];
        var i = 0;
        foreach (var member in set.Members)
            entries[i++] = new SortedSetEntry(member, SetMemberScore);
        return entries;
    }

    /// <summary>The result in the sorted set's order (score, then member).</summary>
    public static SortedSetEntry[] Combine(SortedSetOperation operation, IReadOnlyList<SortedSetEntry[]?> sources, double[]? weights, SortedSetAggregate aggregate)
    {
        var result = new Dictionary<CacheKey, double>();
        switch (operation)
        {
            case SortedSetOperation.Union:
                for (var i = 0; i < sources.Count; i++)
                {
                    foreach (var entry in sources[i] ?? [])
                    {
                        var score = Weighted(entry.Score, weights, i);
                        result[entry.Member] = result.TryGetValue(entry.Member, out var sofar) ? Aggregate(sofar, score, aggregate) : score;
                    }
                }
                break;
            case SortedSetOperation.Intersect:
                if (sources.Any(s => s is null or []))
                    break;
                var lookups = sources.Select(s => s!.ToDictionary(e => e.Member, e => e.Score)).ToArray();
                foreach (var entry in sources[0]!)
                {
                    var score = Weighted(entry.Score, weights, 0);
                    var inAll = true;
                    for (var i = 1; i < lookups.Length && inAll; i++)
                    {
                        if (lookups[i].TryGetValue(entry.Member, out var other))
                            score = Aggregate(score, Weighted(other, weights, i), aggregate);
                        else
                            inAll = false;
                    }
                    if (inAll)
                        result[entry.Member] = score;
                }
                break;
            case SortedSetOperation.Difference:
                var others = new HashSet<CacheKey>();
                for (var i = 1; i < sources.Count; i++)
                {
                    foreach (var entry in sources[i] ?? [])
                        others.Add(entry.Member);
                }
                foreach (var entry in sources.Count > 0 ? sources[0] ?? [] : [])
                {
                    if (!others.Contains(entry.Member))
                        result[entry.Member] = entry.Score;
                }
                break;
        }
        var entries = result.Select(p => new SortedSetEntry(p.Key, p.Value)).ToArray();
        Array.Sort(entries, (a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : a.Member.CompareTo(b.Member));
        return entries;
    }

    /// <summary>ZINTERCARD: the intersection's size, stopping at <paramref name="limit"/> (0: no limit).</summary>
    public static long IntersectionCount(IReadOnlyList<SortedSetEntry[]?> sources, long limit)
    {
        if (sources.Count == 0 || sources.Any(s => s is null or []))
            return 0;
        var lookups = sources.Skip(1).Select(s => s!.Select(e => e.Member).ToHashSet()).ToArray();
        long count = 0;
        foreach (var entry in sources[0]!)
        {
            if (lookups.All(l => l.Contains(entry.Member)) && ++count == limit)
                break;
        }
        return count;
    }

    // inf × 0 is NaN; Redis makes it 0.
    private static double Weighted(double score, double[]? weights, int i)
    {
        var weighted = weights is null ? score : score * weights[i];
        return double.IsNaN(weighted) ? 0 : weighted;
    }

    // inf + -inf is NaN; Redis makes it 0 (zunionInterAggregate).
    private static double Aggregate(double a, double b, SortedSetAggregate aggregate) => aggregate switch
    {
        SortedSetAggregate.Min => Math.Min(a, b),
        SortedSetAggregate.Max => Math.Max(a, b),
        _ => double.IsNaN(a + b) ? 0 : a + b,
    };
}
