using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

// The set reads: SMEMBERS, SISMEMBER and SMISMEMBER (one command), SCARD, SRANDMEMBER and SSCAN. Each is a
// read of the key (it becomes the most recently used; a sliding expiry slides), and answers WRONGTYPE on a
// key holding another type.
public sealed partial class SetCommands
{
    // Redis answers a small (intset or listpack) set whole in one SSCAN page.
    private const int WholePageMembers = 128;
    // A larger set comes in pages of at least 1/64 of it, so a full scan sorts it a bounded number of times.
    private const int MostPages = 64;

    public Decision Members(SetGetMembers get) => _rules.Read(get.Key, Sets, e => new SetMembers(e?.Set?.ToArray() ?? []));

    public Decision Contains(SetContainsMembers contains) => _rules.Read(contains.Key, Sets, e =>
    {
        var found = new bool[contains.Members.Length];
        if (e?.Set is { } set)
        {
            for (var i = 0; i < found.Length; i++)
                found[i] = set.Contains(contains.Members[i]);
        }
        return new MemberFlags(found);
    });

    public Decision Length(SetLength length) => _rules.Read(length.Key, Sets, e => new CounterValue(e?.Set?.Count ?? 0));

    public Decision RandomMembers(SetRandomMembers random) => _rules.Read(random.Key, Sets, e => new SetMembers(RandomPick(e?.Set, random.Count)));

    public Decision Scan(SetScan scan) => _rules.Read(scan.Key, Sets, e => Page(e?.Set, scan.After, scan.Count));

    /// <summary>SRANDMEMBER's choice (t_set.c srandmemberWithCountCommand): without a count one member; a
    /// positive count that many distinct members (the whole set when it has no more); a negative one exactly
    /// |count| picks that may repeat; 0 or a missing key none.</summary>
    public static CacheKey[] RandomPick(MemberSet? set, long? count)
    {
        if (set is null || set.Count == 0 || count == 0)
            return [];
        if (count is not { } n)
            return Pick(set, 1);
        if (n > 0)
            return Pick(set, n);
        var all = set.ToArray();
        var picks = new CacheKey[checked((int)-n)];
        for (var i = 0; i < picks.Length; i++)
            picks[i] = all[Random.Shared.Next(all.Length)];
        return picks;
    }

    /// <summary>Up to <paramref name="count"/> distinct random members. One member costs a walk to a random
    /// position (a HashSet has no random access); more are the first ones of a partial Fisher-Yates shuffle.</summary>
    public static CacheKey[] Pick(MemberSet set, long count)
    {
        if (count == 1)
        {
            var skip = Random.Shared.Next(set.Count);
            foreach (var member in set.Members)
            {
                if (skip-- == 0)
                    return [member];
            }
        }
        var all = set.ToArray();
        var take = (int)Math.Min(count, all.Length);
        for (var i = 0; i < take; i++)
        {
            var j = Random.Shared.Next(i, all.Length);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return take == all.Length ? all : all[..take];
    }

    /// <summary>A page of SSCAN: the members after <paramref name="after"/> in byte order. Every member
    /// present for the whole scan is returned once, whatever else changes, as Redis promises.</summary>
    public static SetPage Page(MemberSet? set, CacheKey? after, int count)
    {
        if (set is null)
            return new SetPage([], null);
        var size = set.Count <= WholePageMembers ? set.Count : Math.Max(count, set.Count / MostPages);
        var names = new List<CacheKey>(after is null ? set.Count : 16);
        foreach (var member in set.Members)
        {
            if (after is not { } last || member.CompareTo(last) > 0)
                names.Add(member);
        }
        names.Sort();
        var taken = Math.Min(size, names.Count);
        return new SetPage(names.GetRange(0, taken).ToArray(), names.Count > taken ? names[taken - 1] : (CacheKey?)null);
    }
}
