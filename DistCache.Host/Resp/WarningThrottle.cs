namespace DistCache.Host.Resp;

/// <summary>At most one warning per <see cref="Interval"/> for a stream of like events (failed AUTH, refused
/// TLS handshakes), each warning saying how many events it stands for, so a guessing client or a port
/// scanner cannot flood the log.</summary>
public sealed class WarningThrottle(TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private DateTimeOffset _quietUntil = DateTimeOffset.MinValue;
    private long _unreported;

    /// <summary>Counts one event; true when a warning is due now, with the events it stands for.</summary>
    public bool Count(out long events)
    {
        lock (_gate)
        {
            _unreported++;
            var now = clock.GetUtcNow();
            if (now < _quietUntil)
            {
                events = 0;
                return false;
            }
            _quietUntil = now + Interval;
            events = _unreported;
            _unreported = 0;
            return true;
        }
    }
}
