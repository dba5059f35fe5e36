using DistCache.Protocol;

namespace DistCache.Host.Resp;

/// <summary>What a command needs to be answered. The mapping from commands to plans is pure; the
/// connection carries the plans out.</summary>
public abstract record RespPlan;

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
