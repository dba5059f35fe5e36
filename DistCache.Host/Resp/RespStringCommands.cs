using DistCache.Actors.Partitions;
using DistCache.Client;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>GETRANGE (and SUBSTR), SETRANGE, INCRBYFLOAT, MSETNX and LCS with Redis 7's replies and errors
/// (t_string.c).</summary>
public static class RespStringCommands
{
    public static readonly string[] Names = ["GETRANGE", "SUBSTR", "SETRANGE", "INCRBYFLOAT", "MSETNX", "LCS"];

    public static readonly string[] Options = ["LEN", "IDX", "MINMATCHLEN", "WITHMATCHLEN"];

    /// <summary>Redis's proto-max-bulk-len: no string may grow past it, whatever distcache.max-value-bytes allows.</summary>
    public const long MaxStringBytes = 512L * 1024 * 1024;

    public static RespPlan GetRange(RespArgs args, string name)
    {
        if (args.Count != 4)
            return Arity(name);
        if (!args.TryInteger(2, out var start) || !args.TryInteger(3, out var end))
            return new Immediate(NotInteger);
        return Call(new GetRange(args.Key(1), start, end), FoundValue);
    }

    public static RespPlan SetRange(RespArgs args)
    {
        if (args.Count != 4)
            return Arity("SETRANGE");
        if (!args.TryInteger(2, out var offset))
            return new Immediate(NotInteger);
        if (offset < 0)
            return Error("ERR offset is out of range");
        if (args[3].Length > 0 && offset + args[3].Length > MaxStringBytes)
            return Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        return Call(new SetRange(args.Key(1), offset, args.Bytes(3)), r => new RespInteger(((CounterValue)r).Value));
    }

    public static RespPlan IncrementByFloat(RespArgs args)
    {
        if (args.Count != 3)
            return Arity("INCRBYFLOAT");
        var delta = args.Text(2);
        if (!FloatValue.TryParse(delta, out _))
            return Error("ERR value is not a valid float");
        return Call(new IncrementByFloat(args.Key(1), delta), FoundValue);
    }

    // MSETNX is atomic: its keys must share a slot (else CROSSSLOT, see MultiKeyCommands).
    public static RespPlan MultiSetIfAbsent(RespArgs args)
    {
        if (args.Count < 3 || args.Count % 2 == 0)
            return Arity("MSETNX");
        var entries = Enumerable.Range(0, args.Count / 2).Select(i => new KeyedValue(args.Key(1 + 2 * i), Value(args, 2 + 2 * i))).ToArray();
        return Call(new MultiSetIfAbsent(entries), r => Flag(((Written)r).Applied));
    }

    // LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: read-only, so it is computed here from two
    // GETs (the keys may be in different partitions; each read is current, the pair is not a snapshot).
    /// <summary>LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]. Its table takes (a+1)(b+1) cells of
    /// four bytes; over <paramref name="maxTableBytes"/> (proto-max-bulk-len, as CONFIG GET reports it) it is
    /// refused as Redis refuses one over its limit. It runs after the connection's earlier commands (so a
    /// pipeline of them runs one at a time), and on the thread pool, never on an event loop's thread.</summary>
    public static RespPlan Lcs(RespArgs args, long maxTableBytes = MaxStringBytes)
    {
        if (args.Count < 3)
            return Arity("LCS");
        bool len = false, idx = false, withLength = false;
        long minLength = 0;
        for (var i = 3; i < args.Count; i++)
        {
            switch (args.Word(i))
            {
                case "LEN":
                    len = true;
                    break;
                case "IDX":
                    idx = true;
                    break;
                case "WITHMATCHLEN":
                    withLength = true;
                    break;
                case "MINMATCHLEN" when i + 1 < args.Count:
                    if (!args.TryInteger(++i, out minLength))
                        return new Immediate(NotInteger);
                    minLength = Math.Max(minLength, 0);
                    break;
                default:
                    return new Immediate(Syntax);
            }
        }
        if (len && idx)
            return Error("ERR If you want both the length and indexes, please just use IDX.");
        var (first, second) = (args.Key(1), args.Key(2));
        return new ClusterSteps(async execute =>
        {
            var replies = new[] { await execute(new GetValue(first)), await execute(new GetValue(second)) };
            return await Task.Run(() => Answer(replies));
        });

        RespValue Answer(ICacheReply[] replies)
        {
            var a = ((Found)replies[0]).Value is { } va ? RespCommands.Bytes(va) : [];
            var b = ((Found)replies[1]).Value is { } vb ? RespCommands.Bytes(vb) : [];
            if (LongestCommonSubsequence.TableBytes(a.Length, b.Length) > maxTableBytes)
                return RespValue.Error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
            var lcs = LongestCommonSubsequence.Of(a, b);
            if (len)
                return new RespInteger(lcs.Length);
            if (!idx)
                return new RespBulk(lcs.Text);
            var matches = lcs.Matches.Where(m => minLength == 0 || m.Length >= minLength).Select(m => (RespValue)new RespArray([
                new RespArray([new RespInteger(m.AStart), new RespInteger(m.AEnd)]),
                new RespArray([new RespInteger(m.BStart), new RespInteger(m.BEnd)]),
                .. withLength ? [new RespInteger(m.Length)] : Array.Empty<RespValue>(),
            ])).ToArray();
            return new RespMap([
                new(RespValue.Bulk("matches"), new RespArray(matches)),
                new(RespValue.Bulk("len"), new RespInteger(lcs.Length)),
            ]);
        }
    }
}
