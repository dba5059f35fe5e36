using System.Diagnostics;
using System.Globalization;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>The blocking commands with Redis 7's replies and errors (t_list.c, t_zset.c): BLPOP, BRPOP, BLMOVE,
/// BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP. Each is its non-blocking command (LMPOP, LMOVE, ZMPOP) sent as a <see cref="BlockingCall"/>:
/// the partition owning the keys answers at once when it can, else keeps the caller waiting, first come first
/// served, until a push. All keys must be in one partition (CROSSSLOT otherwise, as in Redis Cluster). A wait
/// of 0 (forever) or longer than <see cref="SegmentMs"/> is made of calls of at most that long, each its own
/// request; the connection's later commands wait behind it, as a blocked Redis client's do.</summary>
public static class RespBlockingCommands
{
    public static readonly string[] Names = ["BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP"];

    /// <summary>The longest one blocking call waits before the connection calls again.</summary>
    public const long SegmentMs = 30_000;

    /// <param name="once">Inside MULTI: Redis runs a blocking command there as its non-blocking form (an empty
    /// list answers nil at once), and so does DistCache.</param>
    public static RespPlan Map(RespArgs args, string name, bool once = false)
    {
        switch (name)
        {
            case "BLPOP" or "BRPOP":
                if (args.Count < 3)
                    return Arity(name);
                var keys = Enumerable.Range(1, args.Count - 2).Select(args.Key).ToArray();
                return Blocking(once, args.Text(args.Count - 1), new ListMultiPop(keys, name == "BLPOP"), keys,
                    reply => reply is KeyedListItems { Key: { } key, Items: [var element, ..] }
                        ? new RespArray([RespValue.Bulk(key), new RespBulk(element)])
                        : RespValue.NullArray, RespValue.NullArray);
            case "BRPOPLPUSH":
                return args.Count != 4 ? Arity(name)
                    : Blocking(once, args.Text(3), new ListMove(args.Key(1), args.Key(2), FromLeft: false, ToLeft: true), [args.Key(1)], FoundValue, RespValue.Null);
            case "BLMOVE":
                if (args.Count != 6)
                    return Arity(name);
                if (RespListCommands.Side(args.Word(3)) is not { } from || RespListCommands.Side(args.Word(4)) is not { } to)
                    return new Immediate(Syntax);
                return Blocking(once, args.Text(5), new ListMove(args.Key(1), args.Key(2), from, to), [args.Key(1)], FoundValue, RespValue.Null);
            case "BLMPOP":
                var (pop, error) = RespListCommands.ParseMultiPop(args, 2, name);
                return pop is null ? new Immediate(error!) : Blocking(once, args.Text(1), pop, pop.Lists, RespListCommands.MultiPopReply, RespValue.NullArray);
            case "BZPOPMIN" or "BZPOPMAX":
                if (args.Count < 3)
                    return Arity(name);
                var sets = Enumerable.Range(1, args.Count - 2).Select(args.Key).ToArray();
                // [key, member, score], as Redis 7 answers BZPOPMIN (a double in RESP3).
                return Blocking(once, args.Text(args.Count - 1), new SortedSetMultiPop(sets, 1, name == "BZPOPMAX"), sets,
                    reply => reply is SortedSetPopped { Key: { } key, Entries: [var first, ..] }
                        ? new RespArray([RespValue.Bulk(key), RespValue.Bulk(first.Member), new RespDouble(first.Score)])
                        : RespValue.NullArray, RespValue.NullArray);
            case "BZMPOP":
                var (zpop, zerror) = RespSortedSetCommands.ParseMultiPop(args, 2, name);
                return zpop is null ? new Immediate(zerror!) : Blocking(once, args.Text(1), zpop, zpop.Sources, RespSortedSetCommands.MultiPopReply, RespValue.NullArray);
            default:
                return Error($"ERR '{name}' is not a blocking command");
        }
    }

    /// <summary>Redis's timeout argument: seconds, fractions allowed (getTimeoutFromObjectOrReply); 0 is forever.</summary>
    public static (long Ms, RespValue? Error) TimeoutMs(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || double.IsNaN(seconds) || double.IsInfinity(seconds))
            return (0, RespValue.Error("ERR timeout is not a float or out of range"));
        if (seconds < 0)
            return (0, RespValue.Error("ERR timeout is negative"));
        // Redis refuses what overflows its millisecond clock; a year is far past any wait a client means.
        if (seconds > 365 * 24 * 3600.0)
            return (0, RespValue.Error("ERR timeout is out of range"));
        var ms = (long)Math.Ceiling(seconds * 1000);
        return (ms, null);
    }

    // timedOut: what Redis answers when the wait ends empty (a nil array for the pops, a nil for the moves).
    private static RespPlan Blocking(bool once, string timeout, IClientCommand attempt, CacheKey[] keys, Func<ICacheReply, RespValue> answer, RespValue timedOut)
    {
        var (ms, error) = TimeoutMs(timeout);
        if (error is not null)
            return new Immediate(error);
        if (once)
            return Call(attempt, answer);
        return new ClusterSteps(async execute =>
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var left = ms == 0 ? SegmentMs : Math.Min(SegmentMs, ms - clock.ElapsedMilliseconds);
                if (left <= 0)
                    return timedOut;
                var reply = await execute(new BlockingCall(attempt, keys, left));
                if (reply is not WaitEnded)
                    return answer(reply);
            }
        }) { Blocks = true };
    }
}
