using DistCache.Protocol;

namespace DistCache.Host.Resp;

/// <summary>The small building blocks the command families share: a call to the cluster, Redis's arity
/// error, and the common reply shapes.</summary>
internal static class RespPlans
{
    public static readonly RespValue NotInteger = RespValue.Error("ERR value is not an integer or out of range");

    public static readonly RespValue Syntax = RespValue.Error("ERR syntax error");

    public static RespPlan Call(IClientCommand command, Func<ICacheReply, RespValue> answer, bool afterEarlierReplies = false) =>
        new ClusterCall([command], replies => answer(replies[0]), afterEarlierReplies);

    public static Immediate Arity(string name) =>
        new(RespValue.Error($"ERR wrong number of arguments for '{name.ToLowerInvariant()}' command"));

    public static Immediate Error(string message) => new(RespValue.Error(message));

    public static RespValue Flag(bool value) => new RespInteger(value ? 1 : 0);

    public static RespValue FoundValue(ICacheReply reply) =>
        ((Found)reply).Value is { } value ? new RespBulk(RespCommands.Bytes(value)) : RespValue.Null;

    // Text stays a string (so INCR works on "10" and .NET clients read it back as a string); anything
    // that is not UTF-8 is kept as bytes.
    public static CacheValue Value(RespArgs args, int index) =>
        new(System.Text.Unicode.Utf8.IsValid(args[index]) ? ValueKind.String : ValueKind.Bytes, args.Bytes(index));
}
