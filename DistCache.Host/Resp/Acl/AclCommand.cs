namespace DistCache.Host.Resp.Acl;

/// <summary>The ACL subcommands DistCache has: WHOAMI and CAT (users are defined in the users file, so
/// there is no SETUSER, DELUSER, LOAD or SAVE).</summary>
public static class AclCommand
{
    public static RespValue Reply(RespArgs args, AclUser user)
    {
        var sub = args.Text(1).ToUpperInvariant();
        return sub switch
        {
            "WHOAMI" when args.Count == 2 => RespValue.Bulk(user.Name),
            "CAT" when args.Count == 2 => new RespArray(RespCommandTable.Categories.Select(RespValue.Bulk).ToArray()),
            "CAT" when args.Count == 3 => Category(args.Text(2).ToLowerInvariant()),
            "WHOAMI" or "CAT" => RespValue.Error($"ERR wrong number of arguments for 'acl|{sub.ToLowerInvariant()}' command"),
            _ => RespValue.Error($"ERR unknown subcommand '{args.Text(1)}'. Try ACL HELP."),
        };
    }

    private static RespValue Category(string name) => RespCommandTable.Categories.Contains(name)
        ? new RespArray(RespCommandTable.All.Where(c => c.IsIn("@" + name)).Select(c => RespValue.Bulk(c.Name.ToLowerInvariant())).ToArray())
        : RespValue.Error($"ERR Unknown category '{name}'");
}
