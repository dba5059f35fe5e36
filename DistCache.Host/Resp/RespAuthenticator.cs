using System.Text;
using DistCache.Actors.Cluster;
using DistCache.Host.Resp.Acl;

namespace DistCache.Host.Resp;

/// <summary>Redis's authentication for the endpoint (requirepass, or the users of a users file): which
/// commands run before a connection has authenticated, and AUTH / HELLO … AUTH / RESET, with Redis's
/// replies word for word (src/acl.c, src/networking.c). Pure: it reads the arguments and updates the
/// session, and leaves counting, logging and closing to the connection (<see cref="AuthFailed"/>).</summary>
public sealed class RespAuthenticator(RespSettings settings, RespUsers? users = null)
{
    /// <summary><c>AUTH &lt;password&gt;</c> means this user, as in Redis.</summary>
    public const string DefaultUser = RespUsers.DefaultName;

    private readonly RespUsers _users = users ?? RespUsers.From(settings);

    public static readonly RespValue NoAuth = RespValue.Error("NOAUTH Authentication required.");

    // The same for a wrong password and an unknown user, so the reply does not tell which users exist.
    public static readonly RespValue WrongPass = RespValue.Error("WRONGPASS invalid username-password pair or user is disabled.");

    public static readonly RespValue NoPasswordConfigured = RespValue.Error(
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");

    public static readonly RespValue HelloNoAuth = RespValue.Error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option " +
        "can be used to authenticate the client and select the RESP protocol version at the same time");

    private const int LoggedUserLength = 64;

    public static readonly RespValue Reset = new RespSimple("RESET");

    /// <summary>Who the connection is: the user it authenticated as, else <c>default</c> when that user is
    /// on and needs no password (Redis's <c>nopass</c>), else nobody (null).</summary>
    public AclUser? UserOf(RespSession session) => session.Acl ?? _users.Initial;

    public bool IsAuthenticated(RespSession session) => UserOf(session) is not null;

    /// <summary>Whether <paramref name="name"/> is a user of this endpoint (on or off), for CLIENT KILL USER.</summary>
    public bool UserExists(string name) => _users.Find(name) is not null;

    /// <summary>Redis's <c>no_auth</c> commands (src/commands/{auth,hello,quit,reset}.json). PING is not one of them.</summary>
    public static bool RunsBeforeAuth(string? command) => command is "AUTH" or "HELLO" or "QUIT" or "RESET";

    /// <summary>RESET (src/networking.c resetCommand): back to the default user (so unauthenticated when it
    /// needs a password), RESP2, no name and replies on.</summary>
    public static RespPlan ResetSession(RespSession session)
    {
        session.Acl = null;
        session.Protocol = 2;
        session.Name = null;
        session.Replies.On();
        session.Transaction.Reset();
        return new Immediate(Reset);
    }

    /// <summary>AUTH [user] password (src/acl.c authCommand).</summary>
    public RespPlan Auth(RespArgs args, RespSession session)
    {
        if (args.Count < 2)
            return new Immediate(RespValue.Error("ERR wrong number of arguments for 'auth' command"));
        if (args.Count > 3)
            return new Immediate(RespValue.Error("ERR syntax error"));
        if (args.Count == 2 && !_users.DefaultNeedsPassword)
            return new Immediate(NoPasswordConfigured);
        var failed = args.Count == 2
            ? Attempt("default"u8, args[1], session)
            : Attempt(args[1], args[2], session);
        return (RespPlan?)failed ?? new Immediate(RespValue.Ok);
    }

    /// <summary>Checks a user and password and, when they match, authenticates the session; otherwise
    /// counts the failure and returns what to answer.</summary>
    public AuthFailed? Attempt(ReadOnlySpan<byte> user, ReadOnlySpan<byte> password, RespSession session)
    {
        if (_users.Authenticate(Encoding.UTF8.GetString(user), password) is { } found)
        {
            session.Acl = found;
            return null;
        }
        session.AuthFailures++;
        return new AuthFailed(WrongPass, Loggable(user), session.AuthFailures >= settings.MaxAuthFailures);
    }

    // The name is the client's: cut to a length and stripped of control characters before it reaches a log line.
    private static string Loggable(ReadOnlySpan<byte> user)
    {
        var text = Encoding.UTF8.GetString(user.Length > LoggedUserLength ? user[..LoggedUserLength] : user);
        return string.Create(text.Length, text, (chars, source) =>
        {
            for (var i = 0; i < chars.Length; i++)
                chars[i] = char.IsControl(source[i]) || source[i] == ' ' ? '?' : source[i];
        });
    }
}
