using DistCache.Host.Resp.Acl;

namespace DistCache.Host.Resp;

/// <summary>CLIENT LIST, INFO, KILL, REPLY, NO-EVICT, NO-TOUCH and HELP (src/networking.c clientCommand,
/// Redis 7.2), over the endpoint's live connections, and SETINFO. SETNAME, GETNAME and ID are answered by
/// <see cref="RespCommands"/> itself, TRACKING, CACHING, GETREDIR and TRACKINGINFO by
/// <see cref="Tracking.RespTrackingCommands"/>.</summary>
public sealed class RespClientCommand(RespClients clients)
{
    private static readonly RespValue Syntax = RespValue.Error("ERR syntax error");

    private static readonly string[] Help =
    [
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)", "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR", "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME", "    Return the name of the current connection.",
        "ID", "    Return the ID of the current connection.",
        "INFO", "    Return information about the current client connection.",
        "KILL <ip:port>", "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Kill connections by type.",
        "    * USER <username>", "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)", "      Skip killing current connection (default: yes).",
        "    * ID <client-id>", "      Kill connections by client id.",
        "LIST [options ...]", "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type.",
        "    * ID <client-id> [<client-id> ...]", "      Return clients of specified IDs only.",
        "NO-EVICT (ON|OFF)", "    Accepted; DistCache never evicts clients.",
        "NO-TOUCH (ON|OFF)", "    Accepted; reads update keys' LRU time as usual.",
        "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
        "SETNAME <name>", "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>", "    Set client meta attr. Options are:", "    * LIB-NAME: the client lib name.", "    * LIB-VER: the client lib version.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]", "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO", "    Report tracking status for the current connection.",
        "HELP", "    Print this help.",
    ];

    private static readonly RespCommandSpec Config = RespCommandTable.Find("CONFIG")!;

    /// <summary>CLIENT's subcommands for <paramref name="user"/> (null: no ACL, anything goes).
    /// <paramref name="userExists"/> tells KILL USER's names apart (null: only <c>default</c> exists).</summary>
    public RespPlan Reply(RespArgs args, RespSession session, AclUser? user = null, Func<string, bool>? userExists = null)
    {
        var sub = args.Text(1).ToUpperInvariant();
        // LIST shows and KILL closes other users' connections: Redis puts both in @admin @dangerous. ACL rules
        // here apply to whole commands and CLIENT is @connection (always allowed), so these two need what
        // the table's one @admin command, CONFIG, needs.
        if (sub is "LIST" or "KILL" && user is { Unrestricted: false } && !user.CanRun(Config))
            return new Immediate(RespValue.Error($"NOPERM User {user.Name} has no permissions to run the 'client|{sub.ToLowerInvariant()}' command"));
        return sub switch
        {
            "LIST" => new Immediate(List(args)),
            "INFO" when args.Count == 2 => new Immediate(RespValue.Verbatim(RespClientLine.Format(ViewOf(session)) + "\n")),
            "KILL" when args.Count >= 3 => Kill(args, session, userExists ?? (name => name == RespAuthenticator.DefaultUser)),
            "REPLY" when args.Count == 3 => new Immediate(SetReplies(args.Text(2).ToUpperInvariant(), session)),
            "NO-EVICT" or "NO-TOUCH" when args.Count == 3 => new Immediate(
                args.Text(2).ToUpperInvariant() is "ON" or "OFF" ? RespValue.Ok : Syntax),
            "HELP" when args.Count == 2 => new Immediate(new RespArray(Help.Select(line => (RespValue)new RespSimple(line)).ToArray())),
            _ => new Immediate(RespValue.Error($"ERR unknown subcommand or wrong number of arguments for '{args.Text(1)}'. Try CLIENT HELP.")),
        };
    }

    /// <summary>CLIENT SETINFO LIB-NAME|LIB-VER value (src/networking.c clientSetinfoCommand): printable
    /// characters without spaces, so CLIENT LIST's line stays one line.</summary>
    public static RespValue SetInfo(RespArgs args, RespSession session)
    {
        var attribute = args.Text(2);
        var value = args.Text(3);
        var upper = attribute.ToUpperInvariant();
        if (upper is not ("LIB-NAME" or "LIB-VER"))
            return RespValue.Error($"ERR Unrecognized option '{attribute}'");
        if (!value.All(c => c is > ' ' and <= '~'))
            return RespValue.Error($"ERR {attribute} cannot contain spaces, newlines or special characters.");
        if (upper == "LIB-NAME")
            session.LibName = value;
        else
            session.LibVersion = value;
        return RespValue.Ok;
    }

    private RespValue List(RespArgs args)
    {
        IEnumerable<RespClient> chosen = clients.All;
        if (args.Count == 4 && args.Text(2).Equals("TYPE", StringComparison.OrdinalIgnoreCase))
        {
            var type = args.Text(3).ToLowerInvariant();
            if (type is not ("normal" or "master" or "slave" or "replica" or "pubsub"))
                return RespValue.Error($"ERR Unknown client type '{args.Text(3)}'");
            // A connection with a subscription is a pubsub one, the others normal; there are no replicas.
            var now0 = Environment.TickCount64;
            chosen = chosen.Where(c => type == (c.View(now0).Subscriptions > 0 ? "pubsub" : "normal"));
        }
        else if (args.Count > 3 && args.Text(2).Equals("ID", StringComparison.OrdinalIgnoreCase))
        {
            var ids = new List<long>();
            for (var i = 3; i < args.Count; i++)
            {
                if (!args.TryInteger(i, out var id))
                    return RespValue.Error("ERR Invalid client ID");
                ids.Add(id);
            }
            chosen = ids.Distinct().Select(clients.Find).OfType<RespClient>();
        }
        else if (args.Count != 2)
        {
            return Syntax;
        }
        var now = Environment.TickCount64;
        return RespValue.Verbatim(RespClientLine.Format(chosen.Select(c => c.View(now))));
    }

    private RespClientView ViewOf(RespSession session) =>
        clients.Find(session.Id)?.View(Environment.TickCount64)
        ?? new RespClientView(session.Id, "", "", -1, session.Name ?? "", 0, 0, "client|info",
            session.User ?? RespAuthenticator.DefaultUser, session.Protocol)
        {
            LibName = session.LibName ?? "", LibVersion = session.LibVersion ?? "", Multi = session.Transaction.QueuedCount,
            TrackingFlags = session.Tracking.Flags, Redirect = session.Tracking.Redirect,
        };

    private static RespValue SetReplies(string mode, RespSession session)
    {
        switch (mode)
        {
            case "ON":
                session.Replies.On();
                return RespValue.Ok;
            case "OFF":
                session.Replies.Off();
                return RespValue.Ok; // not sent: replies are off from this command on
            case "SKIP":
                session.Replies.Skip();
                return RespValue.Ok; // not sent: SKIP silences itself too
            default:
                return Syntax;
        }
    }

    private RespPlan Kill(RespArgs args, RespSession session, Func<string, bool> userExists)
    {
        // The old form: CLIENT KILL ip:port, one connection, +OK or an error.
        if (args.Count == 3)
        {
            var address = args.Text(2);
            var target = clients.All.FirstOrDefault(c => c.Address == address);
            if (target is null)
                return new Immediate(RespValue.Error("ERR No such client"));
            return Close([target], session, RespValue.Ok);
        }
        if (RespClientFilter.Parse(args, userExists, out var error) is not { } filter)
            return new Immediate(error);
        var now = Environment.TickCount64;
        var killed = clients.All.Where(c => filter.Matches(c.View(now), session.Id)).ToArray();
        return Close(killed, session, new RespInteger(killed.Length));
    }

    // Others are closed and leave the list now (Redis frees them at once; their sockets finish closing
    // on their own threads); this connection, if it is among them, after its reply (Redis's
    // CLOSE_AFTER_REPLY), so the client sees the answer.
    private RespPlan Close(RespClient[] killed, RespSession session, RespValue reply)
    {
        var self = false;
        foreach (var client in killed)
        {
            if (client.Id == session.Id)
                self = true;
            else
            {
                client.Close();
                clients.Remove(client.Id);
            }
        }
        return self ? new ReplyThenClose(reply) : new Immediate(reply);
    }
}
