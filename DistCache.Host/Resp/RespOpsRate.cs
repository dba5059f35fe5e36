namespace DistCache.Host.Resp;

/// <summary>INFO's instantaneous_ops_per_sec without a timer: the commands per second between two
/// samples at least <see cref="MinimumSpanMs"/> apart, sampled when INFO asks (Redis samples every 100 ms
/// and averages 16 samples; a cache nobody asks about should not spend a timer on it). Until a second has
/// passed since the previous sample, the previous rate stands.</summary>
public sealed class RespOpsRate
{
    public const long MinimumSpanMs = 1000;

    private readonly Lock _lock = new();
    private long _sampledAtMs = Environment.TickCount64;
    private long _sampledCount;
    private double _rate;

    public double Sample(long count, long nowMs)
    {
        lock (_lock)
        {
            var span = nowMs - _sampledAtMs;
            if (span < MinimumSpanMs)
                return _rate;
            _rate = Math.Max(0, count - _sampledCount) * 1000.0 / span;
            (_sampledAtMs, _sampledCount) = (nowMs, count);
            return _rate;
        }
    }

    public void Reset()
    {
        lock (_lock)
            (_sampledCount, _rate) = (0, 0);
    }

    /// <summary>For tests: the clock starts at <paramref name="nowMs"/>.</summary>
    public RespOpsRate Starting(long nowMs)
    {
        _sampledAtMs = nowMs;
        return this;
    }
}
