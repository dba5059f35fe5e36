using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>The list commands with Redis 7's replies, errors and RESP2/RESP3 types (t_list.c): LPUSH, RPUSH,
/// LPUSHX, RPUSHX, LPOP, RPOP, LLEN, LINDEX, LSET, LRANGE, LTRIM, LREM, LINSERT, LPOS, LMOVE, RPOPLPUSH and
/// LMPOP. Each is one request to the partition that owns the key; LMOVE, RPOPLPUSH and LMPOP need all their
/// keys in that partition (CROSSSLOT otherwise), so they stay atomic.</summary>
public static class RespListCommands
{
    public static readonly string[] Names =
    [
        "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LLEN", "LINDEX", "LSET", "LRANGE", "LTRIM", "LREM",
        "LINSERT", "LPOS", "LMOVE", "RPOPLPUSH", "LMPOP",
    ];

    public static readonly string[] Options = ["LEFT", "RIGHT", "BEFORE", "AFTER", "RANK", "MAXLEN"];

    private static readonly RespValue NotPositive = RespValue.Error("ERR value is out of range, must be positive");

    public static RespPlan Map(RespArgs args, string name) => name switch
    {
        "LPUSH" or "RPUSH" or "LPUSHX" or "RPUSHX" => args.Count >= 3
            ? Call(new ListPush(args.Key(1), Elements(args, 2), name[0] == 'L', name.EndsWith('X')), Counter)
            : Arity(name),
        "LPOP" or "RPOP" => Pop(args, name),
        "LLEN" => args.Count == 2 ? Call(new ListLength(args.Key(1)), Counter) : Arity(name),
        "LINDEX" => args.Count != 3 ? Arity(name)
            : !args.TryInteger(2, out var index) ? new Immediate(NotInteger)
            : Call(new ListIndex(args.Key(1), index), FoundValue),
        "LSET" => args.Count != 4 ? Arity(name)
            : !args.TryInteger(2, out var at) ? new Immediate(NotInteger)
            : Call(new ListSetIndex(args.Key(1), at, args.Bytes(3)), _ => RespValue.Ok),
        "LRANGE" or "LTRIM" => Range(args, name),
        "LREM" => args.Count != 4 ? Arity(name)
            : !args.TryInteger(2, out var count) ? new Immediate(NotInteger)
            : Call(new ListRemove(args.Key(1), count, args.Bytes(3)), Counter),
        "LINSERT" => Insert(args),
        "LPOS" => Position(args),
        "LMOVE" => args.Count != 5 ? Arity(name)
            : Side(args.Word(3)) is not { } from || Side(args.Word(4)) is not { } to ? new Immediate(Syntax)
            : Call(new ListMove(args.Key(1), args.Key(2), from, to), FoundValue),
        "RPOPLPUSH" => args.Count == 3 ? Call(new ListMove(args.Key(1), args.Key(2), FromLeft: false, ToLeft: true), FoundValue) : Arity(name),
        "LMPOP" => MultiPop(args),
        _ => Error($"ERR '{name}' is not a list command"),
    };

    // LPOP key [count]: without a count the element or nil; with one an array, nil for a missing key,
    // empty for COUNT 0 (t_list.c popGenericCommand).
    private static RespPlan Pop(RespArgs args, string name)
    {
        if (args.Count is < 2 or > 3)
            return Arity(name);
        var left = name == "LPOP";
        if (args.Count == 2)
            return Call(new ListPop(args.Key(1), left), FoundValue);
        if (!args.TryInteger(2, out var count))
            return new Immediate(NotInteger);
        if (count < 0)
            return new Immediate(NotPositive);
        return Call(new ListPop(args.Key(1), left, count), r => Items(((ListItems)r).Items));
    }

    private static RespPlan Range(RespArgs args, string name)
    {
        if (args.Count != 4)
            return Arity(name);
        if (!args.TryInteger(2, out var start) || !args.TryInteger(3, out var stop))
            return new Immediate(NotInteger);
        return name == "LRANGE"
            ? Call(new ListRange(args.Key(1), start, stop), r => Items(((ListItems)r).Items))
            : Call(new ListTrim(args.Key(1), start, stop), _ => RespValue.Ok);
    }

    private static RespPlan Insert(RespArgs args)
    {
        if (args.Count != 5)
            return Arity("LINSERT");
        var before = args.Word(2) switch
        {
            "BEFORE" => true,
            "AFTER" => false,
            _ => (bool?)null,
        };
        return before is { } b ? Call(new ListInsert(args.Key(1), b, args.Bytes(3), args.Bytes(4)), Counter) : new Immediate(Syntax);
    }

    // LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]: without COUNT the first index or
    // nil; with it an array (empty when nothing matches).
    private static RespPlan Position(RespArgs args)
    {
        if (args.Count < 3)
            return Arity("LPOS");
        long rank = 1, count = 1, maxLen = 0;
        var withCount = false;
        for (var i = 3; i < args.Count; i++)
        {
            var more = i + 1 < args.Count;
            switch (args.Word(i))
            {
                case "RANK" when more:
                    if (!args.TryInteger(++i, out rank))
                        return new Immediate(NotInteger);
                    if (rank == 0)
                        return Error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
                    // Redis 7.2 refuses the one rank whose negation overflows.
                    if (rank == long.MinValue)
                        return Error($"ERR value is out of range, value must between {-long.MaxValue} and {long.MaxValue}");
                    break;
                case "COUNT" when more:
                    if (!args.TryInteger(++i, out count) || count < 0)
                        return Error("ERR COUNT can't be negative");
                    withCount = true;
                    break;
                case "MAXLEN" when more:
                    if (!args.TryInteger(++i, out maxLen) || maxLen < 0)
                        return Error("ERR MAXLEN can't be negative");
                    break;
                default:
                    return new Immediate(Syntax);
            }
        }
        return Call(new ListPosition(args.Key(1), args.Bytes(2), rank, count, maxLen), reply =>
        {
            var found = ((ListPositions)reply).Positions;
            if (withCount)
                return new RespArray(found.Select(p => (RespValue)new RespInteger(p)).ToArray());
            return found is [var first, ..] ? new RespInteger(first) : RespValue.Null;
        });
    }

    // LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] (t_list.c lmpopGenericCommand): [key, elements],
    // or a nil array when every list is empty.
    private static RespPlan MultiPop(RespArgs args)
    {
        var (pop, error) = ParseMultiPop(args, 1, "LMPOP");
        return pop is null ? new Immediate(error!) : Call(pop, MultiPopReply);
    }

    /// <summary>LMPOP's arguments from <paramref name="numKeysAt"/> on (BLMPOP has its timeout first).</summary>
    internal static (ListMultiPop? Pop, RespValue? Error) ParseMultiPop(RespArgs args, int numKeysAt, string name)
    {
        if (args.Count < numKeysAt + 3)
            return (null, Arity(name).Reply);
        if (!args.TryInteger(numKeysAt, out var numKeys) || numKeys < 1)
            return (null, RespValue.Error("ERR numkeys should be greater than 0"));
        if (numKeys > args.Count - numKeysAt - 2)
            return (null, Syntax);
        var where = numKeysAt + 1 + numKeys;
        if (Side(args.Word((int)where)) is not { } left)
            return (null, Syntax);
        long count = -1;
        for (var i = (int)where + 1; i < args.Count; i++)
        {
            if (count == -1 && args.Word(i) == "COUNT" && i + 1 < args.Count)
            {
                if (!args.TryInteger(++i, out count) || count < 1)
                    return (null, RespValue.Error("ERR count should be greater than 0"));
            }
            else
            {
                return (null, Syntax);
            }
        }
        var keys = Enumerable.Range(numKeysAt + 1, (int)numKeys).Select(args.Key).ToArray();
        return (new ListMultiPop(keys, left, count == -1 ? 1 : count), null);
    }

    internal static RespValue MultiPopReply(ICacheReply reply) =>
        reply is KeyedListItems { Key: { } key } popped ? new RespArray([RespValue.Bulk(key), Items(popped.Items)]) : RespValue.NullArray;

    internal static bool? Side(string? word) => word switch
    {
        "LEFT" => true,
        "RIGHT" => false,
        _ => null,
    };

    private static byte[][] Elements(RespArgs args, int from) => Enumerable.Range(from, args.Count - from).Select(args.Bytes).ToArray();

    private static RespValue Items(byte[][]? items) =>
        items is null ? RespValue.NullArray : new RespArray(items.Select(e => (RespValue)new RespBulk(e)).ToArray());

    private static RespValue Counter(ICacheReply reply) => new RespInteger(((CounterValue)reply).Value);
}
