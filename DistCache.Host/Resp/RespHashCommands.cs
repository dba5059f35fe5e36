using DistCache.Actors.Partitions;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>The hash commands with Redis 7's replies, errors and RESP2/RESP3 types (t_hash.c): HSET, HSETNX,
/// HMSET, HGET, HMGET, HDEL, HEXISTS, HLEN, HSTRLEN, HKEYS, HVALS, HGETALL, HINCRBY, HINCRBYFLOAT,
/// HRANDFIELD and HSCAN. Each is one request to the partition that owns the key.</summary>
public static class RespHashCommands
{
    public static readonly string[] Names =
    [
        "HSET", "HSETNX", "HMSET", "HGET", "HMGET", "HDEL", "HEXISTS", "HLEN", "HSTRLEN", "HKEYS", "HVALS", "HGETALL",
        "HINCRBY", "HINCRBYFLOAT", "HRANDFIELD", "HSCAN",
    ];

    public static readonly string[] Options = ["WITHVALUES", "NOVALUES"];

    // A cursor published for an HSCAN page: the field to continue after, as hex (the cursor table holds text).
    private const string CursorPrefix = "hash:";


    public static RespPlan Map(RespArgs args, string name, RespSession session) => name switch
    {
        "HSET" or "HMSET" => Set(args, name),
        "HSETNX" => args.Count == 4
            ? Call(new HashSetFields(args.Key(1), [new HashField(args.Key(2), args.Bytes(3))], IfAbsent: true), r => Flag(((Written)r).Applied))
            : Arity(name),
        "HGET" => args.Count == 3 ? Call(new HashGetFields(args.Key(1), [args.Key(2)]), r => Bulk(((Values)r).Items[0])) : Arity(name),
        "HMGET" => args.Count >= 3
            ? Call(new HashGetFields(args.Key(1), Fields(args, 2)), r => new RespArray(((Values)r).Items.Select(Bulk).ToArray()))
            : Arity(name),
        "HEXISTS" => args.Count == 3 ? Call(new HashGetFields(args.Key(1), [args.Key(2)]), r => Flag(((Values)r).Items[0] is not null)) : Arity(name),
        "HSTRLEN" => args.Count == 3
            ? Call(new HashGetFields(args.Key(1), [args.Key(2)]), r => new RespInteger(((Values)r).Items[0]?.Data.Length ?? 0))
            : Arity(name),
        "HDEL" => args.Count >= 3 ? Call(new HashDeleteFields(args.Key(1), Fields(args, 2)), Counter) : Arity(name),
        "HLEN" => args.Count == 2 ? Call(new HashLength(args.Key(1)), Counter) : Arity(name),
        "HKEYS" => args.Count == 2 ? Call(new HashGetAll(args.Key(1)), r => new RespArray(Entries(r).Select(f => RespValue.Bulk(f.Field)).ToArray())) : Arity(name),
        "HVALS" => args.Count == 2 ? Call(new HashGetAll(args.Key(1)), r => new RespArray(Entries(r).Select(f => (RespValue)new RespBulk(f.Value)).ToArray())) : Arity(name),
        "HGETALL" => args.Count == 2 ? Call(new HashGetAll(args.Key(1)), r => new RespMap(Entries(r).Select(Pair).ToArray())) : Arity(name),
        "HINCRBY" => IncrementBy(args),
        "HINCRBYFLOAT" => IncrementByFloat(args),
        "HRANDFIELD" => RandomField(args),
        "HSCAN" => Scan(args, session),
        _ => Error($"ERR '{name}' is not a hash command"),
    };

    // HSET key field value [field value ...] answers the fields added; HMSET, the same write, answers OK.
    private static RespPlan Set(RespArgs args, string name)
    {
        if (args.Count < 4 || args.Count % 2 != 0)
            return Arity(name);
        var fields = new HashField[(args.Count - 2) / 2];
        for (var i = 0; i < fields.Length; i++)
            fields[i] = new HashField(args.Key(2 + 2 * i), args.Bytes(3 + 2 * i));
        return Call(new HashSetFields(args.Key(1), fields), r => name == "HMSET" ? RespValue.Ok : Counter(r));
    }

    private static RespPlan IncrementBy(RespArgs args)
    {
        if (args.Count != 4)
            return Arity("HINCRBY");
        if (!args.TryInteger(3, out var delta))
            return new Immediate(NotInteger);
        return Call(new HashIncrementBy(args.Key(1), args.Key(2), delta), Counter);
    }

    private static RespPlan IncrementByFloat(RespArgs args)
    {
        if (args.Count != 4)
            return Arity("HINCRBYFLOAT");
        var delta = args.Text(3);
        if (!FloatValue.TryParse(delta, out _))
            return Error("ERR value is not a valid float");
        return Call(new HashIncrementByFloat(args.Key(1), args.Key(2), delta), FoundValue);
    }

    // HRANDFIELD key [count [WITHVALUES]]: without a count one field or nil; with one, an array (of pairs
    // WITHVALUES), empty for a missing key.
    private static RespPlan RandomField(RespArgs args)
    {
        if (args.Count == 2)
            return Call(new HashRandomFields(args.Key(1), null), r => Entries(r) is [var one, ..] ? RespValue.Bulk(one.Field) : RespValue.Null);
        if (args.Count > 4)
            return new Immediate(Syntax);
        if (!args.TryInteger(2, out var count))
            return new Immediate(NotInteger);
        var withValues = false;
        if (args.Count == 4)
        {
            if (args.Word(3) != "WITHVALUES")
                return new Immediate(Syntax);
            withValues = true;
        }
        // Redis answers so where |count| (doubled WITHVALUES) would overflow; DistCache also past the most
        // picks a partition builds a reply of (CommandValidator.MaxRandomPicks).
        if ((withValues && count < -(long.MaxValue / 2)) || count < -CommandValidator.MaxRandomPicks)
            return Error("ERR value is out of range");
        return Call(new HashRandomFields(args.Key(1), count), r => withValues
            ? new RespPairs(Entries(r).Select(Pair).ToArray())
            : new RespArray(Entries(r).Select(f => RespValue.Bulk(f.Field)).ToArray()));
    }

    // HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES] (RespElementScan).
    private static RespPlan Scan(RespArgs args, RespSession session) =>
        RespElementScan.Parse(args, "HSCAN", CursorPrefix, session, scan => Call(new HashScan(scan.Key, scan.After, scan.Count), reply =>
        {
            var page = (HashPage)reply;
            var items = new List<RespValue>();
            foreach (var field in page.Fields.Where(f => RespElementScan.Matches(scan.Pattern, f.Field)))
            {
                items.Add(RespValue.Bulk(field.Field));
                if (!scan.NoValues)
                    items.Add(new RespBulk(field.Value));
            }
            return RespElementScan.Page(session, CursorPrefix, page.Next, items);
        }), allowNoValues: true);

    private static CacheKey[] Fields(RespArgs args, int from) => Enumerable.Range(from, args.Count - from).Select(args.Key).ToArray();

    private static HashField[] Entries(ICacheReply reply) => ((HashEntries)reply).Fields;

    private static RespValue Bulk(CacheValue? value) => value is null ? RespValue.Null : new RespBulk(value.Data);

    private static RespValue Counter(ICacheReply reply) => new RespInteger(((CounterValue)reply).Value);

    private static KeyValuePair<RespValue, RespValue> Pair(HashField field) => new(RespValue.Bulk(field.Field), new RespBulk(field.Value));
}
