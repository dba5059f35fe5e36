namespace DistCache.Host.Resp;

/// <summary>COMMAND and its subcommands, answered from <see cref="RespCommandTable"/> in Redis 7's reply
/// shapes (src/commands.c commandCommand and friends): sets and maps are RESP3 sets and maps, flat
/// arrays in RESP2.</summary>
public static class RespCommandReplies
{
    private static readonly RespValue[] InfoOfAll = RespCommandTable.All.Select(Info).ToArray();

    public static RespValue Reply(RespArgs args)
    {
        if (args.Count == 1)
            return new RespArray(InfoOfAll);
        var sub = args.Text(1).ToUpperInvariant();
        return sub switch
        {
            "COUNT" when args.Count == 2 => new RespInteger(RespCommandTable.All.Count),
            "LIST" => List(args),
            "INFO" => new RespArray(args.Count == 2
                ? InfoOfAll
                : Enumerable.Range(2, args.Count - 2).Select(i => RespCommandTable.Find(args.Text(i)) is { } c ? InfoOfAll[c.Index] : RespValue.Null).ToArray()),
            "DOCS" => new RespMap((args.Count == 2
                    ? RespCommandTable.All
                    : Enumerable.Range(2, args.Count - 2).Select(i => RespCommandTable.Find(args.Text(i))).OfType<RespCommandSpec>())
                .Select(c => Pair(c.Name.ToLowerInvariant(), Docs(c))).ToArray()),
            "GETKEYS" when args.Count >= 3 => GetKeys(args),
            "COUNT" or "GETKEYS" => RespValue.Error($"ERR wrong number of arguments for 'command|{sub.ToLowerInvariant()}' command"),
            _ => RespValue.Error($"ERR unknown subcommand '{args.Text(1)}'. Try COMMAND HELP."),
        };
    }

    /// <summary>One command's COMMAND INFO entry: name, arity, flags, first key, last key, step, ACL
    /// categories, tips, key specifications, subcommands.</summary>
    public static RespValue Info(RespCommandSpec command) => new RespArray([
        RespValue.Bulk(command.Name.ToLowerInvariant()),
        new RespInteger(command.Arity),
        new RespSet(command.Flags.Select(f => (RespValue)new RespSimple(f)).ToArray()),
        new RespInteger(command.FirstKey),
        new RespInteger(command.LastKey),
        new RespInteger(command.Step),
        new RespSet(command.Categories.Select(c => (RespValue)new RespSimple(c)).ToArray()),
        RespValue.EmptyArray,
        new RespArray(command.FirstKey > 0 ? [KeySpec(command)] : []),
        RespValue.EmptyArray,
    ]);

    // The one key specification the first/last/step triple describes: an index, then a range relative to it.
    private static RespValue KeySpec(RespCommandSpec command) => new RespMap([
        Pair("flags", new RespSet(command.KeyFlags.Select(f => (RespValue)new RespSimple(f.ToUpperInvariant())).ToArray())),
        Pair("begin_search", new RespMap([
            Pair("type", RespValue.Bulk("index")),
            Pair("spec", new RespMap([Pair("index", new RespInteger(command.FirstKey))])),
        ])),
        Pair("find_keys", new RespMap([
            Pair("type", RespValue.Bulk("range")),
            Pair("spec", new RespMap([
                Pair("lastkey", new RespInteger(command.LastKey < 0 ? command.LastKey : command.LastKey - command.FirstKey)),
                Pair("keystep", new RespInteger(command.Step)),
                Pair("limit", new RespInteger(0)),
            ])),
        ])),
    ]);

    private static RespValue Docs(RespCommandSpec command) => new RespMap([
        Pair("summary", RespValue.Bulk(command.Summary)),
        Pair("since", RespValue.Bulk(command.Since)),
        Pair("group", RespValue.Bulk(command.Group)),
    ]);

    // COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN glob]
    private static RespValue List(RespArgs args)
    {
        IEnumerable<RespCommandSpec> commands = RespCommandTable.All;
        if (args.Count == 5 && args.Text(2).Equals("FILTERBY", StringComparison.OrdinalIgnoreCase))
        {
            var value = args.Text(4);
            commands = args.Text(3).ToUpperInvariant() switch
            {
                "ACLCAT" => commands.Where(c => c.IsIn("@" + value.ToLowerInvariant())),
                "PATTERN" => commands.Where(c => Glob.Matches(value.ToLowerInvariant(), c.Name.ToLowerInvariant())),
                "MODULE" => [],
                _ => null!,
            };
            if (commands is null)
                return RespValue.Error("ERR syntax error");
        }
        else if (args.Count != 2)
        {
            return RespValue.Error("ERR syntax error");
        }
        return new RespArray(commands.Select(c => RespValue.Bulk(c.Name.ToLowerInvariant())).ToArray());
    }

    // COMMAND GETKEYS command arg…: where the command's keys are, by the table (src/db.c getKeysFromCommand).
    private static RespValue GetKeys(RespArgs args)
    {
        if (RespCommandTable.Find(args.Text(2)) is not { } command)
            return RespValue.Error("ERR Invalid command specified");
        var count = args.Count - 2;
        if (!command.AcceptsArgCount(count))
            return RespValue.Error("ERR Invalid number of arguments specified for command");
        // The command's own arguments, so a command whose keys move (SINTERCARD) is read by its numkeys.
        var request = RespArgs.Of(Enumerable.Range(2, count).Select(args.Bytes).ToArray());
        var keys = command.KeyPositions(request).Select(i => (RespValue)new RespBulk(args.Bytes(i + 2))).ToArray();
        return keys.Length == 0 ? RespValue.Error("ERR The command has no key arguments") : new RespArray(keys);
    }

    private static KeyValuePair<RespValue, RespValue> Pair(string key, RespValue value) => new(RespValue.Bulk(key), value);
}
