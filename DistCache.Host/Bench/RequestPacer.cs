namespace DistCache.Host.Bench;

/// <summary>`bench --rate`: when each request is due, so the callers together send about <c>perSecond</c> requests a
/// second however fast the node answers (a soak runs below the peak, not at it). A paced request's latency counts from
/// when it was due, not from when a caller got round to it: while the node stalls the requests behind the stall
/// wait too, and that wait is part of what a client at this rate would see (no coordinated omission).</summary>
public sealed class RequestPacer
{
    private readonly double _perSecond;

    public RequestPacer(double perSecond)
    {
        if (!(perSecond > 0) || double.IsInfinity(perSecond))
            throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "--rate must be a positive number of requests per second");
        _perSecond = perSecond;
    }

    /// <summary>How long after the start the <paramref name="ticket"/>-th request (1-based) is due.</summary>
    public TimeSpan DueAt(long ticket) => TimeSpan.FromSeconds((ticket - 1) / _perSecond);
}
