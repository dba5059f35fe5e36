using DistCache.Client;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>SETBIT, GETBIT, BITCOUNT and BITPOS with Redis 7's replies and errors (bitops.c). SETBIT is a
/// journaled write of the key's partition; the others are computed here from a read of the value.</summary>
public static class RespBitCommands
{
    public static readonly string[] Names = ["SETBIT", "GETBIT", "BITCOUNT", "BITPOS"];

    public static readonly string[] Options = ["BYTE", "BIT"];

    private static readonly RespValue BadOffset = RespValue.Error("ERR bit offset is not an integer or out of range");

    public static RespPlan SetBit(RespArgs args)
    {
        if (args.Count != 4)
            return Arity("SETBIT");
        if (!TryOffset(args, 2, out var offset))
            return new Immediate(BadOffset);
        if (!args.TryInteger(3, out var on) || on is not (0 or 1))
            return Error("ERR bit is not an integer or out of range");
        return Call(new SetBit(args.Key(1), offset, on == 1), r => new RespInteger(((CounterValue)r).Value));
    }

    public static RespPlan GetBit(RespArgs args)
    {
        if (args.Count != 3)
            return Arity("GETBIT");
        if (!TryOffset(args, 2, out var offset))
            return new Immediate(BadOffset);
        return Call(new GetValue(args.Key(1)), r => new RespInteger(Read(r) is { } data ? BitString.Get(data, offset) : 0));
    }

    // BITCOUNT key [start end [BYTE | BIT]]. Redis 7 looks the key up first: a missing key answers 0
    // whatever the other arguments say, so their errors are answered only for a key that exists.
    public static RespPlan BitCount(RespArgs args)
    {
        if (args.Count < 2)
            return Arity("BITCOUNT");
        RespValue? error = null;
        (long, long)? range = null;
        var inBits = false;
        if (args.Count is not (2 or 4 or 5))
        {
            error = Syntax;
        }
        else if (args.Count >= 4)
        {
            long start = 0, end = 0;
            if (!args.TryInteger(2, out start) || !args.TryInteger(3, out end))
                error = NotInteger;
            else if (args.Count == 5 && Unit(args, 4) is null)
                error = Syntax;
            range = (start, end);
            inBits = args.Count == 5 && args.Word(4) == "BIT";
        }
        return Call(new GetValue(args.Key(1)), r => Read(r) is not { } data ? new RespInteger(0)
            : error ?? new RespInteger(BitString.Count(data, range, inBits)));
    }

    // BITPOS key bit [start [end [BYTE | BIT]]]: Redis 7 reads the bit first, then looks the key up (a
    // missing key answers -1 for 1, 0 for 0), then reads the range.
    public static RespPlan BitPos(RespArgs args)
    {
        if (args.Count < 3)
            return Arity("BITPOS");
        if (!args.TryInteger(2, out var bit))
            return new Immediate(NotInteger);
        if (bit is not (0 or 1))
            return Error("ERR The bit argument must be 1 or 0.");
        RespValue? error = null;
        long? start = null, end = null;
        if (args.Count > 6)
        {
            error = Syntax;
        }
        else
        {
            if (args.Count >= 4)
                start = args.TryInteger(3, out var s) ? s : null;
            if (args.Count >= 4 && start is null)
                error = NotInteger;
            else if (args.Count == 6 && Unit(args, 5) is null)
                error = Syntax;
            else if (args.Count >= 5)
                end = args.TryInteger(4, out var e) ? e : null;
            if (error is null && args.Count >= 5 && end is null)
                error = NotInteger;
        }
        var inBits = args.Count == 6 && args.Word(5) == "BIT";
        return Call(new GetValue(args.Key(1)), r => Read(r) is not { } data ? new RespInteger(bit == 1 ? -1 : 0)
            : error ?? new RespInteger(BitString.Position(data, (int)bit, start, end, inBits)));
    }

    private static bool TryOffset(RespArgs args, int index, out long offset) =>
        args.TryInteger(index, out offset) && offset is >= 0 and <= BitString.MaxOffset;

    private static string? Unit(RespArgs args, int index) => args.Word(index) is "BYTE" or "BIT" ? args.Word(index) : null;

    private static byte[]? Read(ICacheReply reply) => ((Found)reply).Value is { } value ? RespCommands.Bytes(value) : null;
}
