namespace DistCache.Host.Resp;

/// <summary>CLIENT KILL's new form: <c>ID id</c>, <c>ADDR ip:port</c>, <c>LADDR ip:port</c>, <c>USER name</c>,
/// <c>TYPE type</c>, <c>SKIPME yes|no</c>, all of which a connection must match (src/networking.c
/// clientKillCommand). SKIPME defaults to yes: the connection that asks is spared unless it says no.</summary>
public sealed record RespClientFilter(long? Id, string? Address, string? LocalAddress, string? User, string? Type, bool SkipMe)
{
    private static readonly RespValue Syntax = RespValue.Error("ERR syntax error");

    /// <summary>The filter of <c>CLIENT KILL option value …</c>, or null with Redis's error. A USER that
    /// <paramref name="userExists"/> does not know is an error, as in Redis (only those allowed to kill
    /// others' connections get that far, so it tells nobody else which users exist).</summary>
    public static RespClientFilter? Parse(RespArgs args, Func<string, bool> userExists, out RespValue error)
    {
        var filter = new RespClientFilter(null, null, null, null, null, true);
        error = Syntax;
        if (args.Count < 4 || args.Count % 2 != 0)
            return null;
        for (var i = 2; i < args.Count; i += 2)
        {
            var value = args.Text(i + 1);
            switch (args.Text(i).ToUpperInvariant())
            {
                case "ID":
                    if (!args.TryInteger(i + 1, out var id) || id < 1)
                    {
                        error = RespValue.Error("ERR client-id should be greater than 0");
                        return null;
                    }
                    filter = filter with { Id = id };
                    break;
                case "ADDR":
                    filter = filter with { Address = value };
                    break;
                case "LADDR":
                    filter = filter with { LocalAddress = value };
                    break;
                case "USER":
                    if (!userExists(value))
                    {
                        error = RespValue.Error($"ERR No such user '{value}'");
                        return null;
                    }
                    filter = filter with { User = value };
                    break;
                case "TYPE":
                    var type = value.ToLowerInvariant();
                    if (type is not ("normal" or "master" or "slave" or "replica" or "pubsub"))
                    {
                        error = RespValue.Error($"ERR Unknown client type '{value}'");
                        return null;
                    }
                    // A connection with a subscription is a pubsub one, the others normal; there are no replicas.
                    filter = filter with { Type = type };
                    break;
                case "SKIPME":
                    var skip = value.ToLowerInvariant();
                    if (skip is not ("yes" or "no"))
                        return null;
                    filter = filter with { SkipMe = skip == "yes" };
                    break;
                default:
                    return null;
            }
        }
        return filter;
    }

    public bool Matches(RespClientView client, long selfId) =>
        (Type is null || Type == (client.Subscriptions > 0 ? "pubsub" : "normal"))
        && !(SkipMe && client.Id == selfId)
        && (Id is null || client.Id == Id)
        && (Address is null || client.Address == Address)
        && (LocalAddress is null || client.LocalAddress == LocalAddress)
        && (User is null || client.User == User);
}
