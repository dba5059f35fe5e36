using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>SINTER, SUNION and SDIFF over sets already read (t_set.c sinterGenericCommand,
/// sunionDiffGenericCommand): a missing key (null) is an empty set. Shared by the STORE forms in a partition
/// and by the RESP endpoint, which gathers the sets of keys in several partitions.</summary>
public static class SetAlgebra
{
    public static List<CacheKey> Combine(SetOperation operation, IReadOnlyList<IReadOnlySet<CacheKey>?> sets) => operation switch
    {
        SetOperation.Intersect => Intersect(sets, 0),
        SetOperation.Union => Union(sets),
        SetOperation.Difference => Difference(sets),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    public static List<CacheKey> Combine(SetOperation operation, IReadOnlyList<MemberSet?> sets) =>
        Combine(operation, sets.Select(s => s?.Members).ToArray());

    /// <summary>SINTERCARD: the intersection's size, stopping at <paramref name="limit"/> (0: no limit).</summary>
    public static long IntersectionCount(IReadOnlyList<IReadOnlySet<CacheKey>?> sets, long limit) => Intersect(sets, limit).Count;

    // The smallest set first, as Redis sorts them, so each candidate is looked up in the others.
    private static List<CacheKey> Intersect(IReadOnlyList<IReadOnlySet<CacheKey>?> sets, long limit)
    {
        var result = new List<CacheKey>();
        if (sets.Count == 0 || sets.Any(s => s is null || s.Count == 0))
            return result;
        var ordered = sets.OrderBy(s => s!.Count).ToArray();
        foreach (var member in ordered[0]!)
        {
            var inAll = true;
            for (var i = 1; i < ordered.Length && inAll; i++)
                inAll = ordered[i]!.Contains(member);
            if (!inAll)
                continue;
            result.Add(member);
            if (limit > 0 && result.Count >= limit)
                break;
        }
        return result;
    }

    private static List<CacheKey> Union(IReadOnlyList<IReadOnlySet<CacheKey>?> sets)
    {
        var union = new HashSet<CacheKey>();
        foreach (var set in sets)
        {
            if (set is not null)
                union.UnionWith(set);
        }
        return [.. union];
    }

    private static List<CacheKey> Difference(IReadOnlyList<IReadOnlySet<CacheKey>?> sets)
    {
        var result = new List<CacheKey>();
        if (sets.Count == 0 || sets[0] is not { } first)
            return result;
        foreach (var member in first)
        {
            var elsewhere = false;
            for (var i = 1; i < sets.Count && !elsewhere; i++)
                elsewhere = sets[i]?.Contains(member) == true;
            if (!elsewhere)
                result.Add(member);
        }
        return result;
    }
}
