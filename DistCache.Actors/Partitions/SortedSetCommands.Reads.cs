using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

// The sorted-set reads: ZSCORE and ZMSCORE, ZCARD, ZRANK and ZREVRANK, ZCOUNT and ZLEXCOUNT, ZRANGE in all
// its forms, ZRANDMEMBER, ZSCAN and the inputs of ZUNION and its kin. Each is a read of the key (it becomes
// the most recently used; a sliding expiry slides) and answers WRONGTYPE on a key holding another type.
public sealed partial class SortedSetCommands
{
    // Redis answers a listpack-encoded set (up to 128 members) whole in one ZSCAN page.
    private const int WholePageMembers = SortedSetValue.ListpackEntries;
    // A larger set comes in pages of at least 1/64 of it, so a full scan sorts it a bounded number of times.
    private const int MostPages = 64;

    public Decision Scores(SortedSetScores scores) => _rules.Read(scores.Key, SortedSets, e =>
    {
        var entries = new SortedSetEntry?[scores.Members.Length];
        if (e?.SortedSet is { } set)
        {
            for (var i = 0; i < entries.Length; i++)
                entries[i] = set.TryGetScore(scores.Members[i], out var score) ? new SortedSetEntry(scores.Members[i], score) : null;
        }
        return new SortedSetEntries(entries);
    });

    public Decision Length(SortedSetLength length) => _rules.Read(length.Key, SortedSets, e => new CounterValue(e?.SortedSet?.Count ?? 0));

    public Decision Rank(SortedSetRankOf rank) => _rules.Read(rank.Key, SortedSets, e =>
    {
        if (e?.SortedSet is not { } set || !set.TryGetScore(rank.Member, out var score))
            return new SortedSetRank(-1, 0);
        var at = set.Index.RankOf(rank.Member, score);
        return new SortedSetRank(rank.Reverse ? set.Count - 1 - at : at, score);
    });

    public Decision Count(SortedSetCount count) => _rules.Read(count.Key, SortedSets, e => new CounterValue(SortedSetRanges.Count(e?.SortedSet, count.Range)));

    public Decision Range(SortedSetRangeQuery query) => _rules.Read(query.Key, SortedSets, e =>
        new SortedSetEntries(SortedSetRanges.Select(e?.SortedSet, query.Range, query.Reverse, query.Offset, query.Limit)
            .Select(n => (SortedSetEntry?)new SortedSetEntry(n.Member, n.Score)).ToArray()));

    /// <summary>One input of ZUNION, ZINTER, ZDIFF or ZINTERCARD, read for the node that combines them: a sorted
    /// set or a plain set. <see cref="DecisionRules.Read"/> checks one type, so the two are checked before it,
    /// and a WRONGTYPE slides no expiry, as with the other reads.</summary>
    public Decision CombineInput(SortedSetCombineInput input) => SortedSetAlgebra.Accepts(_table.Live(input.Key))
        ? _rules.Read(input.Key, null, e => new SortedSetEntries(SortedSetAlgebra.InputOf(e) ?? []))
        : DataType.WrongType();

    public Decision RandomMembers(SortedSetRandomMembers random) =>
        _rules.Read(random.Key, SortedSets, e => new SortedSetEntries(Pick(e?.SortedSet, random.Count)));

    public Decision Scan(SortedSetScan scan) => _rules.Read(scan.Key, SortedSets, e => Page(e?.SortedSet, scan.After, scan.Count));

    /// <summary>ZRANDMEMBER's choice (t_zset.c zrandmemberWithCountCommand): without a count one member; a
    /// positive count that many distinct members (the whole set when it has no more); a negative one exactly
    /// |count| picks that may repeat. Each pick is O(log n): a rank drawn at random, found through the index.</summary>
    public static SortedSetEntry?[] Pick(SortedSetValue? set, long? count)
    {
        if (set is null || set.Count == 0 || count == 0)
            return [];
        var index = set.Index;
        if (count is not { } n)
            return [Entry(index.At(Random.Shared.Next(set.Count))!)];
        if (n < 0)
        {
            var picks = new SortedSetEntry?[checked((int)-n)];
            for (var i = 0; i < picks.Length; i++)
                picks[i] = Entry(index.At(Random.Shared.Next(set.Count))!);
            return picks;
        }
        if (n >= set.Count)
            return set.ToEntries();
        // Distinct ranks: a partial Fisher-Yates shuffle of the ranks when many are wanted, draws otherwise.
        var ranks = new HashSet<int>();
        while (ranks.Count < n)
            ranks.Add(Random.Shared.Next(set.Count));
        return ranks.Select(r => (SortedSetEntry?)Entry(index.At(r)!)).ToArray();
    }

    private static SortedSetEntry Entry(SortedSetIndex.Node node) => new(node.Member, node.Score);

    /// <summary>A page of ZSCAN: the members after <paramref name="after"/> in byte order. Every member
    /// present for the whole scan is returned once, whatever else changes, as Redis promises.</summary>
    public static SortedSetPage Page(SortedSetValue? set, CacheKey? after, int count)
    {
        if (set is null)
            return new SortedSetPage([], null);
        var size = set.Count <= WholePageMembers ? set.Count : Math.Max(count, set.Count / MostPages);
        var names = new List<CacheKey>(after is null ? set.Count : 16);
        foreach (var member in set.Members)
        {
            if (after is not { } last || member.CompareTo(last) > 0)
                names.Add(member);
        }
        names.Sort();
        var taken = Math.Min(size, names.Count);
        var entries = new SortedSetEntry[taken];
        for (var i = 0; i < taken; i++)
        {
            set.TryGetScore(names[i], out var score);
            entries[i] = new SortedSetEntry(names[i], score);
        }
        return new SortedSetPage(entries, names.Count > taken ? names[taken - 1] : (CacheKey?)null);
    }
}
