using DistCache.Protocol;

namespace DistCache.Client.Collections;

/// <summary>The reply a collection command must have, or the exception its rejection stands for.</summary>
internal static class Replies
{
    public static TReply Expect<TReply>(ICacheReply reply) where TReply : ICacheReply => reply switch
    {
        TReply expected => expected,
        Rejected rejected => throw DistCacheException.From(rejected),
        _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
    };
}
