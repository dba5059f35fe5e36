using System.Net;

namespace DistCache.Host.Security;

/// <summary>The one start-up warning a node prints when it listens beyond this machine without protection.
/// Pure, so every combination is tested without binding anything but loopback.</summary>
public static class ExposureWarning
{
    /// <summary>Null when the node is bound to loopback only, or nothing is open; otherwise one line naming what is open.
    /// <paramref name="clusterTls"/>: the cluster port admits only certificates of the cluster CA.</summary>
    public static string? For(string host, bool respPort, bool respPassword, bool httpPort, bool httpToken, bool clusterTls = false)
    {
        if (IsLoopback(host))
            return null;
        var open = new List<string>();
        if (!clusterTls)
            open.Add("the cluster port without TLS (--tls-cert: any process that reaches it can join the cluster or send it requests)");
        if (respPort && !respPassword)
            open.Add("the Redis port without a password (--resp-password-file)");
        if (httpPort && !httpToken)
            open.Add("/metrics without a token (--http-token-file)");
        if (open.Count == 0)
            return null;
        return $"distcache: warning: listening on {host}, beyond this machine, with {string.Join("; ", open)}. " +
            "Bind to a trusted network only.";
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
