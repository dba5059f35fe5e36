using System.Net;
using DistCache.Actors.Monitoring;

namespace DistCache.Host.Resp;

/// <summary>Where a node's failed AUTH and HELLO … AUTH go: every one is counted
/// (distcache_resp_auth_failures_total), and at most one warning per <see cref="Interval"/> is logged,
/// naming the client and the user tried and how many failures it stands for, so a password-guessing
/// client cannot flood the log. The password is never passed in, so it cannot be logged.</summary>
public sealed class RespAuthFailures(NodeMetrics metrics, Action<string> warn, TimeProvider clock)
{
    public static readonly TimeSpan Interval = WarningThrottle.Interval;

    private readonly WarningThrottle _throttle = new(clock);

    public void Failed(EndPoint? remote, string user)
    {
        metrics.RespAuthFailure();
        if (!_throttle.Count(out var failures))
            return;
        warn($"event=resp-auth-failed remote={remote} user={user} failures-since-last-warning={failures}");
    }
}
