using System.Net;

namespace DistCache.Host.Resp;

/// <summary>Where the Redis port's failed TLS handshakes go: at most one warning per <see cref="Interval"/>,
/// naming the client, why (a plain-TCP client, a certificate not of the CA, a handshake timeout) and how many
/// refusals it stands for, so a port scanner or a misconfigured client cannot flood the log.</summary>
public sealed class RespTlsRefusals(Action<string> warn, TimeProvider clock)
{
    public static readonly TimeSpan Interval = WarningThrottle.Interval;

    private readonly WarningThrottle _throttle = new(clock);

    public void Refused(EndPoint? remote, string reason)
    {
        if (!_throttle.Count(out var refusals))
            return;
        warn($"event=resp-tls-refused remote={remote} reason=\"{reason}\" refusals-since-last-warning={refusals}");
    }

    /// <summary>The innermost message (OpenSSL's reason is in the inner exception), or the timeout.</summary>
    public static string Reason(Exception ex, bool timedOut)
    {
        if (timedOut)
            return "no handshake within distcache.tls.handshake-timeout";
        var inner = ex;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        return inner == ex ? ex.Message : $"{ex.Message} {inner.Message}";
    }
}
