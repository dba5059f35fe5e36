using DistCache.Actors.Partitions;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>What HSCAN, SSCAN and ZSCAN share: <c>key cursor [MATCH pattern] [COUNT count]</c> (HSCAN's NOVALUES
/// too), and the cursor, which is the element to continue after (hex, behind the type's prefix, published in
/// the connection's cursor table). MATCH filters the page the partition returned, as Redis filters after it
/// has collected its elements, so a page may come back empty.</summary>
public static class RespElementScan
{
    /// <summary>One scan page asked for: continue after <see cref="After"/> (null: from the start).</summary>
    public sealed record Request(CacheKey Key, CacheKey? After, int Count, byte[]? Pattern, bool NoValues);

    /// <summary>Parses the arguments, or answers the error Redis gives for them.</summary>
    public static RespPlan Parse(RespArgs args, string name, string cursorPrefix, RespSession session, Func<Request, RespPlan> plan, bool allowNoValues = false)
    {
        if (args.Count < 3)
            return Arity(name);
        if (!session.Cursors.TryResolve(args.Text(2), out var cursor) || !TryAfter(cursor, cursorPrefix, out var after))
            return Error("ERR invalid cursor");
        var count = 10L;
        byte[]? pattern = null;
        var noValues = false;
        for (var i = 3; i < args.Count; i++)
        {
            switch (args.Word(i))
            {
                case "COUNT" when i + 1 < args.Count:
                    if (!args.TryInteger(++i, out count))
                        return new Immediate(NotInteger);
                    if (count < 1)
                        return new Immediate(Syntax);
                    break;
                case "MATCH" when i + 1 < args.Count:
                    pattern = args.Bytes(++i);
                    break;
                case "NOVALUES" when allowNoValues:
                    noValues = true;
                    break;
                default:
                    return new Immediate(Syntax);
            }
        }
        return plan(new Request(args.Key(1), after, (int)Math.Min(count, CommandValidator.MaxScanCount), pattern, noValues));
    }

    public static bool Matches(byte[]? pattern, CacheKey element) => pattern is null || Glob.Matches(pattern, element);

    /// <summary>The reply: the next cursor ("0" when the scan is complete) and the page's items.</summary>
    public static RespValue Page(RespSession session, string cursorPrefix, CacheKey? next, IReadOnlyList<RespValue> items) =>
        new RespArray([
            RespValue.Bulk(next is { } last ? session.Cursors.Publish(cursorPrefix + Convert.ToHexString(last.AsSpan())) : "0"),
            new RespArray(items),
        ]);

    private static bool TryAfter(string cursor, string prefix, out CacheKey? after)
    {
        after = null;
        if (cursor == "0")
            return true;
        if (!cursor.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        after = new CacheKey(Convert.FromHexString(cursor.AsSpan(prefix.Length)));
        return true;
    }
}
