namespace DistCache.Actors.Partitions;

/// <summary>Whether a request may still be applied. The deadline is on the caller's clock; this node's
/// clock may be behind it by up to <c>maxClockSkew</c>, so a request is applied only while the deadline
/// is more than that away: then it is applied before the caller gives up, or never.</summary>
public static class RequestDeadline
{
    public static bool HasPassed(long deadlineUnixMs, long nowUnixMs, TimeSpan maxClockSkew) =>
        deadlineUnixMs != 0 && nowUnixMs >= deadlineUnixMs - (long)maxClockSkew.TotalMilliseconds;
}
