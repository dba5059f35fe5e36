using DistCache.Actors.Partitions;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (zunionInterDiffGenericCommand). The STORE forms
// are one partition command, refused with CROSSSLOT when their keys are in different slots. The reads
// gather each key from the partition that owns it and combine here: not one snapshot of all the keys (a
// write between two reads may be seen by one and not the other), as Redis Cluster cannot do them at all.
public static partial class RespSortedSetCommands
{
    private static RespPlan Combine(RespArgs args, string name)
    {
        var store = name.EndsWith("STORE", StringComparison.Ordinal);
        var numKeysAt = store ? 2 : 1;
        if (args.Count < numKeysAt + 2)
            return Arity(name);
        var operation = name.StartsWith("ZUNION", StringComparison.Ordinal) ? SortedSetOperation.Union
            : name.StartsWith("ZINTER", StringComparison.Ordinal) ? SortedSetOperation.Intersect
            : SortedSetOperation.Difference;
        if (ParseSources(args, name, numKeysAt, out var keys) is { } bad)
            return bad;
        double[]? weights = null;
        var aggregate = SortedSetAggregate.Sum;
        var withScores = false;
        for (var j = numKeysAt + 1 + keys.Length; j < args.Count; j++)
        {
            var remaining = args.Count - j;
            var word = args.Word(j);
            if (operation != SortedSetOperation.Difference && remaining >= keys.Length + 1 && word == "WEIGHTS")
            {
                weights = new double[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    if (!ScoreText.TryParse(args.Text(++j), out weights[i]))
                        return Error("ERR weight value is not a float");
                }
            }
            else if (operation != SortedSetOperation.Difference && remaining >= 2 && word == "AGGREGATE")
            {
                switch (args.Word(++j))
                {
                    case "SUM": aggregate = SortedSetAggregate.Sum; break;
                    case "MIN": aggregate = SortedSetAggregate.Min; break;
                    case "MAX": aggregate = SortedSetAggregate.Max; break;
                    default: return new Immediate(Syntax);
                }
            }
            else if (!store && word == "WITHSCORES")
            {
                withScores = true;
            }
            else
            {
                return new Immediate(Syntax);
            }
        }
        if (store)
            return Call(new SortedSetCombineStore(args.Key(1), keys, operation, weights, aggregate), Counter);
        return Gather(keys, sources =>
        {
            var result = SortedSetAlgebra.Combine(operation, sources, weights, aggregate);
            return withScores ? WithScores(result) : MembersOf(result);
        });
    }

    // ZINTERCARD numkeys key [key ...] [LIMIT limit]
    private static RespPlan IntersectionCount(RespArgs args)
    {
        if (args.Count < 3)
            return Arity("ZINTERCARD");
        if (ParseSources(args, "ZINTERCARD", 1, out var keys) is { } bad)
            return bad;
        long limit = 0;
        for (var j = 2 + keys.Length; j < args.Count; j++)
        {
            if (args.Count - j >= 2 && args.Word(j) == "LIMIT")
            {
                if (!args.TryInteger(++j, out limit))
                    return new Immediate(NotInteger);
                if (limit < 0)
                    return Error("ERR LIMIT can't be negative");
                continue;
            }
            return new Immediate(Syntax);
        }
        return Gather(keys, sources => new RespInteger(SortedSetAlgebra.IntersectionCount(sources, limit)));
    }

    private static Immediate? ParseSources(RespArgs args, string name, int numKeysAt, out CacheKey[] keys)
    {
        keys = [];
        if (!args.TryInteger(numKeysAt, out var numKeys))
            return new Immediate(NotInteger);
        if (numKeys < 1)
            return Error($"ERR at least 1 input key is needed for '{name.ToLowerInvariant()}' command");
        if (numKeys > args.Count - numKeysAt - 1)
            return new Immediate(Syntax);
        keys = Members(args, numKeysAt + 1, (int)numKeys);
        return null;
    }

    // Every member of each key, read where the key lives (a missing key reads as empty, a plain set as members
    // of score 1, another type as WRONGTYPE).
    private static ClusterCall Gather(CacheKey[] keys, Func<SortedSetEntry[][], RespValue> answer) =>
        new(keys.Select(k => (IClientCommand)new SortedSetCombineInput(k)).ToArray(),
            replies => answer(replies.Select(r => Entries(r).Select(e => e!).ToArray()).ToArray()),
            AfterEarlierReplies: true);
}
