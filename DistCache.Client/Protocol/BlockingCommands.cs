namespace DistCache.Protocol;

/// <summary>A command that waits in the partition when it finds nothing to take (BLPOP, BRPOP, BLMOVE,
/// BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP). <see cref="Attempt"/> is tried when the call arrives and
/// again after each write to one of <see cref="Keys"/>, callers first come first served, until it takes
/// something (its decision changes state: journaled with the call's request id, so a retry gets the same
/// answer and takes nothing more) or is refused (WRONGTYPE); when <see cref="WaitMs"/> has passed (0: until
/// the request's deadline) the reply is <see cref="WaitEnded"/>. Every key must be in one partition.</summary>
public sealed record BlockingCall(IClientCommand Attempt, CacheKey[] Keys, long WaitMs) : IMultiKeyCommand, IWriteCommand
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

/// <summary>The caller of <see cref="BlockedRequest"/> (a <see cref="BlockingCall"/> sent to the partition of
/// <see cref="Key"/>) stops waiting: its client left, or cancelled. If it still waits it is answered
/// <see cref="WaitEnded"/> at once and takes nothing; if it was served already, this changes nothing. Replies
/// <see cref="Existence"/>: whether it was still waiting.</summary>
public sealed record StopWaiting(CacheKey Key, Guid BlockedRequest) : ICacheCommand;

/// <summary>A <see cref="BlockingCall"/>'s wait ended with nothing taken (its time passed, or it stopped waiting).</summary>
public sealed record WaitEnded : ICacheReply
{
    public static readonly WaitEnded Instance = new();
}
