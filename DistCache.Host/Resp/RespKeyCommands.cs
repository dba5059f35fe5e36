using DistCache.Actors.Gateway;
using DistCache.Protocol;
using static DistCache.Host.Resp.RespPlans;

namespace DistCache.Host.Resp;

/// <summary>RENAME, RENAMENX and COPY with Redis 7's replies and errors (db.c). Each is one atomic write
/// of the partition that holds both keys; keys in different slots get CROSSSLOT (see MultiKeyCommands).</summary>
public static class RespKeyCommands
{
    public static readonly string[] Names = ["RENAME", "RENAMENX", "COPY", "KEYS", "RANDOMKEY", "OBJECT"];

    public static readonly string[] Options = ["REPLACE", "DB", "ENCODING", "FREQ", "IDLETIME", "REFCOUNT", "HELP"];

    public static RespPlan Rename(RespArgs args, string name)
    {
        if (args.Count != 3)
            return Arity(name);
        var nx = name == "RENAMENX";
        return Call(new RenameKey(args.Key(1), args.Key(2), nx), r => r is Written written ? Flag(written.Applied) : RespValue.Ok);
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
        return Call(new CopyKey(args.Key(1), args.Key(2), replace), r => Flag(((Existence)r).Exists));
    }

    // KEYS pages through the whole cache as SCAN does, so it is a scan, not a snapshot: a key written or
    // deleted while it runs may or may not be listed. O(keys), as in Redis: meant for debugging. A user
    // limited to some keys is shown only those (Redis would list every key name): visible is null for
    // a user with every key.
    public static RespPlan Keys(RespArgs args, Func<CacheKey, bool>? visible = null)
    {
        if (args.Count != 2)
            return Arity("KEYS");
        var pattern = args.Bytes(1);
        return new ClusterSteps(async execute =>
        {
            var found = new List<RespValue>();
            var cursor = ScanCursor.Start;
            do
            {
                var page = (KeyPage)await execute(new ScanKeys(cursor, KeysPageSize));
                foreach (var key in page.Keys)
                {
                    if (Glob.Matches(pattern, key) && (visible is null || visible(key)))
                        found.Add(RespValue.Bulk(key));
                }
                cursor = page.Cursor;
            }
            while (cursor != ScanCursor.Start);
            return new RespArray(found);
        });
    }

    private const int KeysPageSize = 1000;

    // RANDOMKEY asks random partitions (a random routing key lands on a random one), and falls back to the
    // first key a scan finds, so it answers nil only when the cache holds no key the user may read
    // (readable is null for a user with every key).
    public static RespPlan RandomKey(RespArgs args, Func<CacheKey, bool>? readable = null)
    {
        if (args.Count != 1)
            return Arity("RANDOMKEY");
        return new ClusterSteps(async execute =>
        {
            for (var attempt = 0; attempt < RandomKeyAttempts; attempt++)
            {
                var keys = ((PartPage)await execute(new RandomKey(Guid.NewGuid().ToString("N")))).Keys;
                foreach (var key in keys)
                {
                    if (readable is null || readable(key))
                        return RespValue.Bulk(key);
                }
            }
            var cursor = ScanCursor.Start;
            do
            {
                var page = (KeyPage)await execute(new ScanKeys(cursor, readable is null ? 1 : KeysPageSize));
                foreach (var key in page.Keys)
                {
                    if (readable is null || readable(key))
                        return RespValue.Bulk(key);
                }
                cursor = page.Cursor;
            }
            while (cursor != ScanCursor.Start);
            return RespValue.Null;
        });
    }

    private const int RandomKeyAttempts = 8;

    private static readonly RespValue ObjectHelp = new RespArray(new[]
    {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    }.Select(line => (RespValue)new RespSimple(line)).ToArray());

    // OBJECT: what makes sense for DistCache. ENCODING as Redis would choose it for the value, of any type
    // (the partition answers it with the key's type); FREQ as
    // Redis answers without an LFU policy (DistCache has none); IDLETIME 0 and REFCOUNT 1, since DistCache
    // tracks neither (documented in the README).
    public static RespPlan Object(RespArgs args)
    {
        if (args.Count < 2)
            return Arity("OBJECT");
        var sub = args.Word(1);
        if (sub == "HELP")
            return args.Count == 2 ? new Immediate(ObjectHelp) : Arity("object|help");
        if (sub is not ("ENCODING" or "FREQ" or "IDLETIME" or "REFCOUNT"))
            return Error($"ERR unknown subcommand '{args.Text(1)}'. Try OBJECT HELP.");
        if (args.Count != 3)
            return Arity("object|" + sub.ToLowerInvariant());
        return Call(new DescribeKey(args.Key(2)), reply => reply is not KeyDescription { Encoding: { } encoding } ? RespValue.Null : sub switch
        {
            "ENCODING" => RespValue.Bulk(encoding),
            "FREQ" => RespValue.Error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."),
            "IDLETIME" => new RespInteger(0),
            _ => new RespInteger(1),
        });
    }

    /// <summary>Redis's choice for a string (object.c tryObjectEncoding): "int" for a canonical 64-bit
    /// integer, "embstr" up to 44 bytes, else "raw".</summary>
    public static string EncodingOf(CacheValue value) => DistCache.Actors.Partitions.StringType.EncodingOf(value);
}
