namespace DistCache.Host.Resp.Acl;

/// <summary>Whether a user may run a command on the keys it names, with Redis's denials word for word
/// (src/acl.c getAclErrorMessage). Pure: the table says where a command's keys are and whether it writes.</summary>
public static class AclCheck
{
    public static readonly RespValue NoKeyPermission = RespValue.Error("NOPERM No permissions to access a key");

    /// <summary>Null when <paramref name="user"/> may run the command; otherwise the NOPERM reply.
    /// @connection commands are always allowed (a deviation: Redis lets rules deny them), so a client can
    /// always handshake, ask who it is, and leave.</summary>
    public static RespValue? Denied(AclUser user, RespCommandSpec command, RespArgs args)
    {
        if (user.Unrestricted || command.IsIn("@connection"))
            return null;
        if (!user.CanRun(command))
            return RespValue.Error($"NOPERM User {user.Name} has no permissions to run the '{command.Name.ToLowerInvariant()}' command");
        // Commands over the whole keyspace would reach keys outside the user's patterns (stricter than
        // Redis, where they need only the command permission).
        if (NeedsAllKeys(command))
            return user.AllKeys ? null : NoKeyPermission;
        if (user.AllKeys)
            return null;
        var reads = command.ReadsKeys && !(command.Name == "SET" && !HasGetOption(args));
        foreach (var position in command.KeyPositions(args))
        {
            if (!user.CanAccess(args.Key(position), reads, command.WritesKeys))
                return NoKeyPermission;
        }
        return null;
    }

    // SET's key spec has variable flags (src/db.c setGetKeys): it reads the key only with GET.
    private static bool HasGetOption(RespArgs args)
    {
        for (var i = 3; i < args.Count; i++)
        {
            if (args.Word(i) == "GET")
                return true;
        }
        return false;
    }

    private static bool NeedsAllKeys(RespCommandSpec command) => command.Name is "DBSIZE" or "FLUSHALL" or "FLUSHDB";
}
