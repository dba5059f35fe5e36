using DistCache.Actors.Gateway;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>RENAME, RENAMENX and COPY with Redis 7's replies and errors (db.c). Each is one atomic write
/// of the partition that holds both keys; keys in different partitions get CROSSSLOT (see MultiKeyCommands).</summary>
public static class RespKeyCommands
{
    public static readonly string[] Names = ["RENAME", "RENAMENX", "COPY", "KEYS"];

    public static readonly string[] Options = ["REPLACE", "DB"];

    public static RespPlan Rename(RespArgs args, string name)
    {
        if (args.Count != 3)
            return Arity(name);
        var nx = name == "RENAMENX";
        return Call(new RenameKey(args.Text(1), args.Text(2), nx), r => r is Written written ? Flag(written.Applied) : RespValue.Ok);
    }

    // COPY source destination [DB destination-db] [REPLACE]: DistCache has database 0 only.
    public static RespPlan Copy(RespArgs args)
    {
        if (args.Count < 3)
            return Arity("COPY");
        var replace = false;
        for (var i = 3; i < args.Count; i++)
        {
            switch (args.Word(i))
            {
                case "REPLACE":
                    replace = true;
                    break;
                case "DB" when i + 1 < args.Count:
                    if (!args.TryInteger(++i, out var db) || db is < int.MinValue or > int.MaxValue)
                        return new Immediate(NotInteger);
                    if (db != 0)
                        return Error("ERR DB index is out of range");
                    break;
                default:
                    return new Immediate(Syntax);
            }
        }
        if (args[1].SequenceEqual(args[2]))
            return Error("ERR source and destination objects are the same");
        return Call(new CopyKey(args.Text(1), args.Text(2), replace), r => Flag(((Existence)r).Exists));
    }

    // KEYS pages through the whole cache as SCAN does, so it is a scan, not a snapshot: a key written or
    // deleted while it runs may or may not be listed. O(keys), as in Redis: meant for debugging.
    public static RespPlan Keys(RespArgs args)
    {
        if (args.Count != 2)
            return Arity("KEYS");
        var pattern = args.Text(1);
        return new ClusterSteps(async execute =>
        {
            var found = new List<RespValue>();
            var cursor = ScanCursor.Start;
            do
            {
                var page = (KeyPage)await execute(new ScanKeys(cursor, KeysPageSize));
                foreach (var key in page.Keys)
                {
                    if (Glob.Matches(pattern, key))
                        found.Add(RespValue.Bulk(key));
                }
                cursor = page.Cursor;
            }
            while (cursor != ScanCursor.Start);
            return new RespArray(found);
        });
    }

    private const int KeysPageSize = 1000;
}
