using DistCache.Protocol;

namespace DistCache.Host.Resp;

/// <summary>What a command needs to be answered. The mapping from commands to plans is pure; the
/// connection carries the plans out.</summary>
public abstract record RespPlan
{
    /// <summary>On a connection with CLIENT TRACKING on: the keys the command reads and writes, given to the
    /// endpoint's tracking as the command starts (see <see cref="Tracking.RespTrackingCommands.Annotate"/>).</summary>
    public Tracking.TrackedKeys? Tracked { get; init; }
}

/// <summary>Answered on the spot (PING, ECHO, CLIENT …, errors in the request itself).</summary>
public sealed record Immediate(RespValue Reply) : RespPlan;

/// <summary>One or more requests to the cluster, sent together; <see cref="Answer"/> turns their replies
/// (in the order of <see cref="Commands"/>) into the command's reply. A rejected reply becomes an error
/// before <see cref="Answer"/> is called. <see cref="AfterEarlierReplies"/> marks commands that span
/// partitions (MGET, DBSIZE, FLUSHALL, SCAN): they start once every earlier command of the connection
/// has been answered, so a pipelined SET before an MGET is seen by it.</summary>
public sealed record ClusterCall(IClientCommand[] Commands, Func<ICacheReply[], RespValue> Answer, bool AfterEarlierReplies = false) : RespPlan;

/// <summary>QUIT: answer OK, then close.</summary>
public sealed record Quit : RespPlan;

/// <summary>A failed AUTH or HELLO … AUTH: the connection counts and reports it (never with the
/// password), answers <see cref="Reply"/>, and closes when <see cref="Close"/> says the connection has
/// used up distcache.resp.max-auth-failures. <see cref="User"/> is the name tried, made safe to log.</summary>
public sealed record AuthFailed(RespValue Reply, string User, bool Close) : RespPlan;

/// <summary>Requests to the cluster that depend on each other's replies (KEYS pages through SCAN until the
/// cursor comes back "0"): <see cref="Run"/> sends each through the function it is given, which throws
/// <see cref="RespRejectedException"/> for a rejected reply (answered as its error). Like the commands that
/// span partitions, it starts once every earlier command of the connection has been answered.</summary>
public sealed record ClusterSteps(Func<Func<IClientCommand, Task<ICacheReply>>, Task<RespValue>> Run) : RespPlan
{
    /// <summary>A blocking command (BLPOP and kin): its connection counts as blocked while it runs.</summary>
    public bool Blocks { get; init; }
}

/// <summary>A rejected reply met by <see cref="ClusterSteps"/>; the connection answers it as Redis words it.</summary>
public sealed class RespRejectedException(Rejected rejected) : Exception(rejected.Code.ToString())
{
    public Rejected Rejected { get; } = rejected;
}

/// <summary>Answer, then close this connection (CLIENT KILL that names the connection asking, as Redis's
/// CLOSE_AFTER_REPLY).</summary>
public sealed record ReplyThenClose(RespValue Reply) : RespPlan;

/// <summary>A change to the connection's subscriptions (SUBSCRIBE and kin): its reply, and the change to the
/// node's broker, made after the reply is queued for a subscribe (no message before its confirmation) and
/// before it for an unsubscribe (none after).</summary>
public sealed record Subscription(RespValue Reply, Action Apply, bool ApplyBeforeReply) : RespPlan;

/// <summary>A command with an effect beyond the connection and the keys (PUBLISH): run when it is started,
/// or, inside MULTI, when EXEC runs the transaction.</summary>
public sealed record Deferred(Func<RespValue> Run) : RespPlan;
