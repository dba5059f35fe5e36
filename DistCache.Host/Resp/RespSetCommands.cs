using DistCache.Actors.Partitions;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>The set commands with Redis 7's replies, errors and RESP2/RESP3 types (t_set.c): SADD, SREM,
/// SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP, SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SUNION, SDIFF, their
/// STORE forms and SSCAN. A command on one key is one request to the partition that owns it. SMOVE and the
/// STORE forms are one atomic partition command (their keys must share a slot, else CROSSSLOT). SINTER,
/// SINTERCARD, SUNION and SDIFF gather each key's members from its partition and combine them here: over
/// keys in several partitions they are not one snapshot (each set is read at its own moment).</summary>
public static class RespSetCommands
{
    public static readonly string[] Names =
    [
        "SADD", "SREM", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD", "SPOP", "SRANDMEMBER", "SMOVE",
        "SINTER", "SINTERCARD", "SUNION", "SDIFF", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "SSCAN",
    ];

    public static readonly string[] Options = ["LIMIT"];

    // A cursor published for an SSCAN page: the member to continue after, as hex (the cursor table holds text).
    private const string CursorPrefix = "set:";

    private static readonly RespValue NotPositive = RespValue.Error("ERR value is out of range, must be positive");

    public static RespPlan Map(RespArgs args, string name, RespSession session) => name switch
    {
        "SADD" => args.Count >= 3 ? Call(new SetAddMembers(args.Key(1), Members(args, 2)), Counter) : Arity(name),
        "SREM" => args.Count >= 3 ? Call(new SetRemoveMembers(args.Key(1), Members(args, 2)), Counter) : Arity(name),
        "SMEMBERS" => args.Count == 2 ? Call(new SetGetMembers(args.Key(1)), r => AsSet(((SetMembers)r).Members)) : Arity(name),
        "SISMEMBER" => args.Count == 3 ? Call(new SetContainsMembers(args.Key(1), [args.Key(2)]), r => Flag(((MemberFlags)r).Found[0])) : Arity(name),
        "SMISMEMBER" => args.Count >= 3
            ? Call(new SetContainsMembers(args.Key(1), Members(args, 2)), r => new RespArray(((MemberFlags)r).Found.Select(Flag).ToArray()))
            : Arity(name),
        "SCARD" => args.Count == 2 ? Call(new SetLength(args.Key(1)), Counter) : Arity(name),
        "SPOP" => Pop(args),
        "SRANDMEMBER" => RandomMember(args),
        "SMOVE" => args.Count == 4 ? Call(new SetMove(args.Key(1), args.Key(2), args.Key(3)), r => Flag(((Written)r).Applied)) : Arity(name),
        "SINTER" => Combine(args, name, SetOperation.Intersect),
        "SUNION" => Combine(args, name, SetOperation.Union),
        "SDIFF" => Combine(args, name, SetOperation.Difference),
        "SINTERCARD" => IntersectionCount(args),
        "SINTERSTORE" => Store(args, name, SetOperation.Intersect),
        "SUNIONSTORE" => Store(args, name, SetOperation.Union),
        "SDIFFSTORE" => Store(args, name, SetOperation.Difference),
        "SSCAN" => Scan(args, session),
        _ => Error($"ERR '{name}' is not a set command"),
    };

    // SPOP key [count]: without a count one member or nil; with one a set (RESP3), empty for a missing key.
    // A count that is not a non-negative integer gets t_set.c's own wording.
    private static RespPlan Pop(RespArgs args)
    {
        if (args.Count == 2)
            return Call(new SetPop(args.Key(1), null), r => ((SetMembers)r).Members is [var one, ..] ? RespValue.Bulk(one) : RespValue.Null);
        if (args.Count > 3)
            return new Immediate(Syntax);
        if (!args.TryInteger(2, out var count) || count < 0)
            return new Immediate(NotPositive);
        return Call(new SetPop(args.Key(1), count), r => AsSet(((SetMembers)r).Members));
    }

    // SRANDMEMBER key [count]: without a count one member or nil; with one an array (a negative count may
    // repeat members), empty for a missing key.
    private static RespPlan RandomMember(RespArgs args)
    {
        if (args.Count == 2)
            return Call(new SetRandomMembers(args.Key(1), null), r => ((SetMembers)r).Members is [var one, ..] ? RespValue.Bulk(one) : RespValue.Null);
        if (args.Count > 3)
            return new Immediate(Syntax);
        if (!args.TryInteger(2, out var count))
            return new Immediate(NotInteger);
        if (count == long.MinValue)
            return Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        // DistCache's own bound: a partition does not build a reply of more picks (CommandValidator.MaxRandomPicks).
        if (count < -CommandValidator.MaxRandomPicks)
            return Error("ERR value is out of range");
        return Call(new SetRandomMembers(args.Key(1), count), r => new RespArray(((SetMembers)r).Members.Select(m => RespValue.Bulk(m)).ToArray()));
    }

    // SINTER, SUNION, SDIFF key [key ...]: each set read from its own partition, combined here.
    private static RespPlan Combine(RespArgs args, string name, SetOperation operation)
    {
        if (args.Count < 2)
            return Arity(name);
        var keys = Members(args, 1);
        return Gather(keys, sets => AsSet(SetAlgebra.Combine(operation, sets)));
    }

    // SINTERCARD numkeys key [key ...] [LIMIT limit], with t_set.c's errors in its order.
    private static RespPlan IntersectionCount(RespArgs args)
    {
        if (args.Count < 3)
            return Arity("SINTERCARD");
        if (!args.TryInteger(1, out var numKeys) || numKeys <= 0)
            return Error("ERR numkeys should be greater than 0");
        if (numKeys > args.Count - 2)
            return Error("ERR Number of keys can't be greater than number of args");
        long limit = 0;
        for (var i = 2 + (int)numKeys; i < args.Count; i++)
        {
            if (args.Word(i) == "LIMIT" && i + 1 < args.Count)
            {
                if (!args.TryInteger(++i, out limit) || limit < 0)
                    return Error("ERR LIMIT can't be negative");
            }
            else
            {
                return new Immediate(Syntax);
            }
        }
        var keys = Enumerable.Range(2, (int)numKeys).Select(args.Key).ToArray();
        return Gather(keys, sets => new RespInteger(SetAlgebra.IntersectionCount(sets, limit)));
    }

    // The STORE forms: one partition command, so all keys must share a slot (CROSSSLOT otherwise).
    private static RespPlan Store(RespArgs args, string name, SetOperation operation) =>
        args.Count >= 3 ? Call(new SetStore(args.Key(1), Members(args, 2), operation), Counter) : Arity(name);

    // Every key's members, asked of the partitions together; a key of another type answers WRONGTYPE for
    // the command (the gather fails on any rejected reply), a missing key reads as an empty set.
    private static RespPlan Gather(CacheKey[] keys, Func<IReadOnlySet<CacheKey>?[], RespValue> answer) =>
        new ClusterCall(keys.Select(k => (IClientCommand)new SetGetMembers(k)).ToArray(), replies =>
        {
            var sets = new IReadOnlySet<CacheKey>?[replies.Length];
            for (var i = 0; i < replies.Length; i++)
                sets[i] = ((SetMembers)replies[i]).Members is { Length: > 0 } members ? members.ToHashSet() : null;
            return answer(sets);
        }, AfterEarlierReplies: true);

    // SSCAN key cursor [MATCH pattern] [COUNT count] (RespElementScan).
    private static RespPlan Scan(RespArgs args, RespSession session) =>
        RespElementScan.Parse(args, "SSCAN", CursorPrefix, session, scan => Call(new SetScan(scan.Key, scan.After, scan.Count), reply =>
        {
            var page = (SetPage)reply;
            var items = page.Members.Where(m => RespElementScan.Matches(scan.Pattern, m)).Select(RespValue.Bulk).ToArray();
            return RespElementScan.Page(session, CursorPrefix, page.Next, items);
        }));

    private static CacheKey[] Members(RespArgs args, int from) => Enumerable.Range(from, args.Count - from).Select(args.Key).ToArray();

    // SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count answer a set in RESP3 (an array in RESP2).
    private static RespValue AsSet(IEnumerable<CacheKey> members) => new RespSet(members.Select(m => RespValue.Bulk(m)).ToArray());

    private static RespValue Counter(ICacheReply reply) => new RespInteger(((CounterValue)reply).Value);
}
