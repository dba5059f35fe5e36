using DistCache.Actors.Partitions;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

// The ZRANGE family (zrangeGenericCommand: one parser for ZRANGE, ZRANGESTORE and the older forms, each of
// those presetting the range type and direction), ZCOUNT, ZLEXCOUNT and ZREMRANGEBY*.
public static partial class RespSortedSetCommands
{
    private enum RangeBy
    {
        Auto,
        Rank,
        Score,
        Lex,
    }

    private static readonly RespValue NotAFloatRange = RespValue.Error("ERR min or max is not a float");
    private static readonly RespValue NotALexRange = RespValue.Error("ERR min or max not valid string range item");

    private static RespPlan MapRange(RespArgs args, string name) => name switch
    {
        "ZRANGE" => Range(args, name, 1, false, RangeBy.Auto, null),
        "ZRANGESTORE" => Range(args, name, 2, true, RangeBy.Auto, null),
        "ZREVRANGE" => Range(args, name, 1, false, RangeBy.Rank, true),
        "ZRANGEBYSCORE" => Range(args, name, 1, false, RangeBy.Score, false),
        "ZREVRANGEBYSCORE" => Range(args, name, 1, false, RangeBy.Score, true),
        "ZRANGEBYLEX" => Range(args, name, 1, false, RangeBy.Lex, false),
        "ZREVRANGEBYLEX" => Range(args, name, 1, false, RangeBy.Lex, true),
        "ZCOUNT" => args.Count != 4 ? Arity(name)
            : ParseScores(args, 2, 3) is { } scores ? Call(new SortedSetCount(args.Key(1), scores), Counter) : new Immediate(NotAFloatRange),
        "ZLEXCOUNT" => args.Count != 4 ? Arity(name)
            : ParseLex(args, 2, 3) is { } lex ? Call(new SortedSetCount(args.Key(1), lex), Counter) : new Immediate(NotALexRange),
        "ZREMRANGEBYRANK" => args.Count != 4 ? Arity(name)
            : !args.TryInteger(2, out var start) || !args.TryInteger(3, out var stop) ? new Immediate(NotInteger)
            : Call(new SortedSetRemoveRange(args.Key(1), new RankRange(start, stop)), Counter),
        "ZREMRANGEBYSCORE" => args.Count != 4 ? Arity(name)
            : ParseScores(args, 2, 3) is { } scores ? Call(new SortedSetRemoveRange(args.Key(1), scores), Counter) : new Immediate(NotAFloatRange),
        "ZREMRANGEBYLEX" => args.Count != 4 ? Arity(name)
            : ParseLex(args, 2, 3) is { } lex ? Call(new SortedSetRemoveRange(args.Key(1), lex), Counter) : new Immediate(NotALexRange),
        _ => Error($"ERR '{name}' is not a sorted set command"),
    };

    private static RespPlan Range(RespArgs args, string name, int source, bool store, RangeBy by, bool? reverse)
    {
        if (args.Count < source + 3)
            return Arity(name);
        var withScores = false;
        long offset = 0, limit = -1;
        for (var j = source + 3; j < args.Count; j++)
        {
            var left = args.Count - j - 1;
            var word = args.Word(j);
            if (!store && word == "WITHSCORES")
            {
                withScores = true;
            }
            else if (word == "LIMIT" && left >= 2)
            {
                if (!args.TryInteger(j + 1, out offset) || !args.TryInteger(j + 2, out limit))
                    return new Immediate(NotInteger);
                j += 2;
            }
            else if (reverse is null && word == "REV")
            {
                reverse = true;
            }
            else if (by == RangeBy.Auto && word == "BYLEX")
            {
                by = RangeBy.Lex;
            }
            else if (by == RangeBy.Auto && word == "BYSCORE")
            {
                by = RangeBy.Score;
            }
            else
            {
                return new Immediate(Syntax);
            }
        }
        var rev = reverse ?? false;
        if (by == RangeBy.Auto)
            by = RangeBy.Rank;
        if (limit != -1 && by == RangeBy.Rank)
            return Error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        if (withScores && by == RangeBy.Lex)
            return Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        // A reversed score or lex range is given max first.
        int min = source + 1, max = source + 2;
        if (rev && by != RangeBy.Rank)
            (min, max) = (max, min);
        SortedSetRange range;
        switch (by)
        {
            case RangeBy.Rank:
                if (!args.TryInteger(min, out var start) || !args.TryInteger(max, out var stop))
                    return new Immediate(NotInteger);
                range = new RankRange(start, stop);
                break;
            case RangeBy.Score:
                if (ParseScores(args, min, max) is not { } scores)
                    return new Immediate(NotAFloatRange);
                range = scores;
                break;
            default:
                if (ParseLex(args, min, max) is not { } lex)
                    return new Immediate(NotALexRange);
                range = lex;
                break;
        }
        var query = new SortedSetRangeQuery(args.Key(source), range, rev, offset, limit);
        if (store)
            return Call(new SortedSetRangeStore(args.Key(1), query), Counter);
        return Call(query, r => withScores ? WithScores(Entries(r)) : MembersOf(Entries(r)));
    }

    // zslParseRange: "(" makes an end exclusive; each end a float, never NaN.
    private static ScoreRange? ParseScores(RespArgs args, int min, int max) =>
        ParseScoreBound(args.Text(min)) is var (low, lowEx) && ParseScoreBound(args.Text(max)) is var (high, highEx)
            ? new ScoreRange(low, lowEx, high, highEx)
            : null;

    private static (double, bool)? ParseScoreBound(string text)
    {
        var exclusive = text.StartsWith('(');
        return ScoreText.TryParse(exclusive ? text[1..] : text, out var value) ? (value, exclusive) : null;
    }

    // zslParseLexRange: "[x" inclusive, "(x" exclusive, "-" and "+" the ends.
    private static LexRange? ParseLex(RespArgs args, int min, int max) =>
        ParseLexBound(args[min]) is { } low && ParseLexBound(args[max]) is { } high ? new LexRange(low, high) : null;

    private static LexBound? ParseLexBound(ReadOnlySpan<byte> item) => item switch
    {
        [(byte)'+'] => new LexBound(default, true, 1),
        [(byte)'-'] => new LexBound(default, true, -1),
        [(byte)'(', .. var rest] => new LexBound(CacheKey.Copy(rest), true),
        [(byte)'[', .. var rest] => new LexBound(CacheKey.Copy(rest), false),
        _ => null,
    };
}
