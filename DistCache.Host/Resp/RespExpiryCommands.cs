using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX/XX/GT/LT, EXPIRETIME, PEXPIRETIME and TOUCH, with
/// Redis 7's replies and errors (expire.c).</summary>
public static class RespExpiryCommands
{
    public static readonly string[] Names = ["EXPIRETIME", "PEXPIRETIME", "TOUCH"];

    public static readonly string[] Options = ["NX", "XX", "GT", "LT"];

    // EXPIRE key time [NX | XX | GT | LT]: Redis reads the options before the time, so a bad option wins.
    public static RespPlan Expire(RespArgs args, string name)
    {
        if (args.Count < 3)
            return Arity(name);
        var when = ExpireConditions.None;
        for (var i = 3; i < args.Count; i++)
        {
            ExpireConditions? option = args.Word(i) switch
            {
                "NX" => ExpireConditions.IfNoExpiry,
                "XX" => ExpireConditions.IfHasExpiry,
                "GT" => ExpireConditions.IfLater,
                "LT" => ExpireConditions.IfEarlier,
                _ => null,
            };
            if (option is null)
                return Error($"ERR Unsupported option {args.Text(i)}");
            when |= option.Value;
        }
        if (ConflictOf(when) is { } conflict)
            return Error(conflict);
        if (!args.TryInteger(2, out var amount))
            return new Immediate(NotInteger);
        long milliseconds;
        try
        {
            milliseconds = name is "EXPIRE" or "EXPIREAT" ? checked(amount * 1000) : amount;
        }
        catch (OverflowException)
        {
            return Error($"ERR invalid expire time in '{name.ToLowerInvariant()}' command");
        }
        // A relative time not above zero, or an absolute one already past, deletes the key (Redis's
        // rule), which the partition applies on its clock, after the options.
        var expiry = name.EndsWith("AT", StringComparison.Ordinal)
            ? Expiry.AtUnixMilliseconds(Math.Max(1, milliseconds))
            : new Expiry(ExpiryKind.After, milliseconds);
        return Call(new ExpireKey(args.Key(1), expiry, when), r => Flag(((Existence)r).Exists));
    }

    /// <summary>Redis's error for options that exclude each other, or null (expire.c parseExtendedExpireArgumentsOrReply).</summary>
    public static string? ConflictOf(ExpireConditions when)
    {
        if (when.HasFlag(ExpireConditions.IfNoExpiry) && when != ExpireConditions.IfNoExpiry)
            return "ERR NX and XX, GT or LT options at the same time are not compatible";
        if (when.HasFlag(ExpireConditions.IfLater | ExpireConditions.IfEarlier))
            return "ERR GT and LT options at the same time are not compatible";
        return null;
    }

    // EXPIRETIME answers seconds, truncated as Redis does; -1 and -2 pass through.
    public static RespPlan ExpireTime(RespArgs args, string name) => args.Count != 2
        ? Arity(name)
        : Call(new ExpireTime(args.Key(1)), r => ((CounterValue)r).Value is var at && (at < 0 || name == "PEXPIRETIME")
            ? new RespInteger(at)
            : new RespInteger(at / 1000));

    public static RespPlan Touch(RespArgs args) => args.Count < 2
        ? Arity("TOUCH")
        : new ClusterCall(Enumerable.Range(1, args.Count - 1).Select(i => (IClientCommand)new TouchKey(args.Key(i))).ToArray(),
            replies => new RespInteger(replies.Count(r => ((Existence)r).Exists)));
}
