namespace DistCache.Protocol;

/// <summary>A command that waits in the partition when it finds nothing to take (BLPOP, BRPOP, BLMOVE,
/// BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP). <see cref="Attempt"/> is tried when the call arrives and
/// again after each write to one of <see cref="Keys"/>, callers first come first served, until it takes
/// something (its decision changes state: journaled with the call's request id, so a retry gets the same
/// answer and takes nothing more) or is refused (WRONGTYPE); when <see cref="WaitMs"/> has passed (0: until
/// the request's deadline) the reply is <see cref="TimedOut"/>. Every key must be in one partition.</summary>
public sealed record BlockingCall(IClientCommand Attempt, CacheKey[] Keys, long WaitMs, ICacheReply TimedOut) : IMultiKeyCommand, IWriteCommand
{
    /// <summary>The longest one call waits; a caller that waits longer (BLPOP's 0) calls again.</summary>
    public const long MaxWaitMs = 3_600_000;

    public CacheKey Key => Keys[0];

    IEnumerable<CacheKey> IMultiKeyCommand.Keys => Keys;

    /// <summary>How long a caller waits for <paramref name="command"/>'s reply: the request timeout, and a
    /// blocking call's wait on top, so the call's deadline (which the partition never waits past) comes after it.</summary>
    public static TimeSpan AllowedTime(IClientCommand command, TimeSpan timeout) =>
        command is BlockingCall { WaitMs: > 0 } blocking ? timeout + TimeSpan.FromMilliseconds(blocking.WaitMs) : timeout;
}
