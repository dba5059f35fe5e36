namespace DistCache.Protocol;

/// <summary>A command that waits in the partition when it finds nothing to take (BLPOP, BRPOP, BLMOVE,
/// BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP). <see cref="Attempt"/> is tried when the call arrives and
/// again after each write to one of <see cref="Keys"/>, callers first come first served, until it takes
/// something (its decision changes state: journaled with the call's request id, so a retry gets the same
/// answer and takes nothing more) or is refused (WRONGTYPE); when <see cref="WaitMs"/> has passed (0: until
/// the request's deadline) the reply is <see cref="TimedOut"/>. Every key must be in one partition.</summary>
public sealed record BlockingCall(IClientCommand Attempt, CacheKey[] Keys, long WaitMs, ICacheReply TimedOut) : ICacheCommand, IWriteCommand
{
    public CacheKey Key => Keys[0];
}
