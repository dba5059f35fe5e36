using DistCache.Actors.Partitions;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>The sorted-set commands with Redis 7.2's replies, errors and RESP2/RESP3 types (t_zset.c): each
/// is one request to the partition that owns its key(s), except ZUNION, ZINTER, ZDIFF and ZINTERCARD, which
/// read each key where it lives and combine here (<c>RespSortedSetAlgebra.cs</c>). The ZRANGE family is in
/// <c>RespSortedSetRanges.cs</c>.</summary>
public static partial class RespSortedSetCommands
{
    public static readonly string[] Names =
    [
        "ZADD", "ZINCRBY", "ZSCORE", "ZMSCORE", "ZCARD", "ZRANK", "ZREVRANK", "ZCOUNT", "ZLEXCOUNT", "ZRANGE", "ZRANGESTORE",
        "ZREVRANGE", "ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZREM", "ZREMRANGEBYRANK",
        "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "ZPOPMIN", "ZPOPMAX", "ZMPOP", "ZRANDMEMBER", "ZSCAN", "ZUNION", "ZINTER",
        "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZINTERCARD",
    ];

    public static readonly string[] Options =
    [
        "CH", "INCR", "GT", "LT", "WITHSCORE", "WITHSCORES", "BYSCORE", "BYLEX", "REV", "LIMIT", "MIN", "MAX", "WEIGHTS",
        "AGGREGATE", "SUM",
    ];

    // A cursor published for a ZSCAN page: the member to continue after, as hex (the cursor table holds text).
    private const string CursorPrefix = "zset:";

    private static readonly RespValue NotAFloat = RespValue.Error("ERR value is not a valid float");

    public static RespPlan Map(RespArgs args, string name, RespSession session) => name switch
    {
        "ZADD" => Add(args),
        "ZINCRBY" => args.Count != 4 ? Arity(name)
            : !ScoreText.TryParse(args.Text(2), out var delta) ? new Immediate(NotAFloat)
            : Call(new SortedSetAdd(args.Key(1), [new SortedSetEntry(args.Key(3), delta)], Increment: true), Score),
        "ZSCORE" => args.Count == 3 ? Call(new SortedSetScores(args.Key(1), [args.Key(2)]), r => ScoreOf(Entries(r)[0])) : Arity(name),
        "ZMSCORE" => args.Count >= 3
            ? Call(new SortedSetScores(args.Key(1), Members(args, 2)), r => new RespArray(Entries(r).Select(ScoreOf).ToArray()))
            : Arity(name),
        "ZCARD" => args.Count == 2 ? Call(new SortedSetLength(args.Key(1)), Counter) : Arity(name),
        "ZRANK" or "ZREVRANK" => Rank(args, name),
        "ZREM" => args.Count >= 3 ? Call(new SortedSetRemove(args.Key(1), Members(args, 2)), Counter) : Arity(name),
        "ZPOPMIN" or "ZPOPMAX" => Pop(args, name),
        "ZMPOP" => MultiPop(args),
        "ZRANDMEMBER" => RandomMember(args),
        "ZSCAN" => Scan(args, session),
        "ZUNION" or "ZINTER" or "ZDIFF" or "ZUNIONSTORE" or "ZINTERSTORE" or "ZDIFFSTORE" => Combine(args, name),
        "ZINTERCARD" => IntersectionCount(args),
        _ => MapRange(args, name),
    };

    // ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...], checked in zaddGenericCommand's order.
    private static RespPlan Add(RespArgs args)
    {
        if (args.Count < 4)
            return Arity("ZADD");
        bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        var i = 2;
        for (; i < args.Count; i++)
        {
            switch (args.Word(i))
            {
                case "NX": nx = true; continue;
                case "XX": xx = true; continue;
                case "GT": gt = true; continue;
                case "LT": lt = true; continue;
                case "CH": ch = true; continue;
                case "INCR": incr = true; continue;
            }
            break;
        }
        var pairs = args.Count - i;
        if (pairs == 0 || pairs % 2 != 0)
            return new Immediate(Syntax);
        if (nx && xx)
            return Error("ERR XX and NX options at the same time are not compatible");
        if ((gt && nx) || (lt && nx) || (gt && lt))
            return Error("ERR GT, LT, and/or NX options at the same time are not compatible");
        if (incr && pairs > 2)
            return Error("ERR INCR option supports a single increment-element pair");
        var entries = new SortedSetEntry[pairs / 2];
        for (var j = 0; j < entries.Length; j++)
        {
            if (!ScoreText.TryParse(args.Text(i + 2 * j), out var score))
                return new Immediate(NotAFloat);
            entries[j] = new SortedSetEntry(args.Key(i + 2 * j + 1), score);
        }
        var when = nx ? SortedSetWhen.IfAbsent : xx ? SortedSetWhen.IfPresent : SortedSetWhen.Always;
        return Call(new SortedSetAdd(args.Key(1), entries, when, gt, lt, ch, incr), r => incr ? Score(r) : Counter(r));
    }

    // ZRANK key member [WITHSCORE] (7.2): nil for a missing member, a null array WITHSCORE.
    private static RespPlan Rank(RespArgs args, string name)
    {
        if (args.Count is < 3 or > 4)
            return Arity(name);
        var withScore = args.Count == 4;
        if (withScore && args.Word(3) != "WITHSCORE")
            return new Immediate(Syntax);
        return Call(new SortedSetRankOf(args.Key(1), args.Key(2), name == "ZREVRANK"), r =>
        {
            var rank = (SortedSetRank)r;
            if (rank.Rank < 0)
                return withScore ? new RespNullArray() : RespValue.Null;
            return withScore ? new RespArray([new RespInteger(rank.Rank), new RespDouble(rank.Score)]) : new RespInteger(rank.Rank);
        });
    }

    // ZPOPMIN key [count]: without a count a flat [member, score]; with one, pairs (nested in RESP3).
    private static RespPlan Pop(RespArgs args, string name)
    {
        if (args.Count is < 2 or > 3)
            return Arity(name);
        long count = 1;
        if (args.Count == 3)
        {
            if (!args.TryInteger(2, out count))
                return new Immediate(NotInteger);
            if (count < 0)
                return Error("ERR value is out of range, must be positive");
        }
        var flat = args.Count == 2;
        return Call(new SortedSetPop(args.Key(1), count, name == "ZPOPMAX"), r =>
        {
            var popped = Entries(r);
            return flat
                ? new RespArray(popped.SelectMany(e => new RespValue[] { RespValue.Bulk(e!.Member), new RespDouble(e.Score) }).ToArray())
                : WithScores(popped);
        });
    }

    // ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: [key, [[member, score], ...]], or a null array.
    private static RespPlan MultiPop(RespArgs args)
    {
        var (pop, error) = ParseMultiPop(args, 1, "ZMPOP");
        return pop is null ? new Immediate(error!) : Call(pop, MultiPopReply);
    }

    /// <summary>ZMPOP's arguments from <paramref name="numKeysAt"/> on (BZMPOP has its timeout first).</summary>
    internal static (SortedSetMultiPop? Pop, RespValue? Error) ParseMultiPop(RespArgs args, int numKeysAt, string name)
    {
        if (args.Count < numKeysAt + 3)
            return (null, Arity(name).Reply);
        if (!args.TryInteger(numKeysAt, out var numKeys))
            return (null, NotInteger);
        if (numKeys <= 0)
            return (null, RespValue.Error("ERR numkeys should be greater than 0"));
        if (numKeys > args.Count - numKeysAt - 1)
            return (null, RespValue.Error("ERR Number of keys can't be greater than number of args"));
        var at = numKeysAt + 1 + (int)numKeys;
        if (at >= args.Count || args.Word(at) is not ("MIN" or "MAX"))
            return (null, Syntax);
        var max = args.Word(at) == "MAX";
        long count = 1;
        var countSeen = false;
        for (var i = at + 1; i < args.Count; i++)
        {
            if (args.Word(i) == "COUNT" && i + 1 < args.Count && !countSeen)
            {
                if (!args.TryInteger(++i, out count))
                    return (null, NotInteger);
                if (count <= 0)
                    return (null, RespValue.Error("ERR count should be greater than 0"));
                countSeen = true;
                continue;
            }
            return (null, Syntax);
        }
        return (new SortedSetMultiPop(Members(args, numKeysAt + 1, (int)numKeys), count, max), null);
    }

    internal static RespValue MultiPopReply(ICacheReply reply)
    {
        var popped = (SortedSetPopped)reply;
        if (popped.Key is not { } key)
            return RespValue.NullArray;
        return new RespArray([RespValue.Bulk(key), new RespArray(popped.Entries.Select(e => (RespValue)new RespArray([RespValue.Bulk(e.Member), new RespDouble(e.Score)])).ToArray())]);
    }

    // ZRANDMEMBER key [count [WITHSCORES]], as HRANDFIELD.
    private static RespPlan RandomMember(RespArgs args)
    {
        if (args.Count == 2)
            return Call(new SortedSetRandomMembers(args.Key(1), null), r => Entries(r) is [{ } one, ..] ? RespValue.Bulk(one.Member) : RespValue.Null);
        if (args.Count > 4)
            return new Immediate(Syntax);
        if (!args.TryInteger(2, out var count))
            return new Immediate(NotInteger);
        var withScores = false;
        if (args.Count == 4)
        {
            if (args.Word(3) != "WITHSCORES")
                return new Immediate(Syntax);
            withScores = true;
        }
        if ((withScores && count < -(long.MaxValue / 2)) || count < -CommandValidator.MaxRandomPicks)
            return Error("ERR value is out of range");
        return Call(new SortedSetRandomMembers(args.Key(1), count), r => withScores ? WithScores(Entries(r)) : MembersOf(Entries(r)));
    }

    // ZSCAN key cursor [MATCH pattern] [COUNT count] (RespElementScan): scores as bulk strings in both protocols, as Redis.
    private static RespPlan Scan(RespArgs args, RespSession session) =>
        RespElementScan.Parse(args, "ZSCAN", CursorPrefix, session, scan => Call(new SortedSetScan(scan.Key, scan.After, scan.Count), reply =>
        {
            var page = (SortedSetPage)reply;
            var items = new List<RespValue>();
            foreach (var entry in page.Entries.Where(e => RespElementScan.Matches(scan.Pattern, e.Member)))
            {
                items.Add(RespValue.Bulk(entry.Member));
                items.Add(RespValue.Bulk(ScoreText.Format(entry.Score)));
            }
            return RespElementScan.Page(session, CursorPrefix, page.Next, items);
        }));

    private static CacheKey[] Members(RespArgs args, int from, int? count = null) =>
        Enumerable.Range(from, count ?? args.Count - from).Select(args.Key).ToArray();

    private static SortedSetEntry?[] Entries(ICacheReply reply) => ((SortedSetEntries)reply).Entries;

    private static RespValue ScoreOf(SortedSetEntry? entry) => entry is null ? RespValue.Null : new RespDouble(entry.Score);

    private static RespValue Score(ICacheReply reply) => reply is SortedSetScore { Exists: true } score ? new RespDouble(score.Score) : RespValue.Null;

    private static RespValue Counter(ICacheReply reply) => new RespInteger(((CounterValue)reply).Value);

    // WITHSCORES: member, score flat in RESP2, [member, score] pairs in RESP3.
    private static RespValue WithScores(IEnumerable<SortedSetEntry?> entries) =>
        new RespPairs(entries.Select(e => new KeyValuePair<RespValue, RespValue>(RespValue.Bulk(e!.Member), new RespDouble(e.Score))).ToArray());

    private static RespValue MembersOf(IEnumerable<SortedSetEntry?> entries) => new RespArray(entries.Select(e => RespValue.Bulk(e!.Member)).ToArray());
}
