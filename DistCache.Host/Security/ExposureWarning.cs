using System.Net;
using DistCache.Actors.Cluster;

namespace DistCache.Host.Security;

/// <summary>The one start-up warning a node prints when it listens beyond this machine without protection.
/// Pure, so every combination is tested without binding anything but loopback.</summary>
public static class ExposureWarning
{
    /// <summary>Null when the node is bound to loopback only, or nothing is open; otherwise one line naming what is open.
    /// With <paramref name="tls"/>: the cluster port admits only certificates of the cluster CA, a port that
    /// requires a client certificate of the CA needs no password or token, and a password or token sent
    /// without TLS can be read off the network. <paramref name="managementPort"/>: discovery's management endpoint is open too.
    /// <paramref name="respOpenDefault"/>: a users file gives user
    /// default <c>on nopass</c>, so the Redis port is open despite the file.</summary>
    public static string? For(string host, bool respPort, bool respPassword, bool httpPort, bool httpToken, TlsSettings? tls = null,
        bool respOpenDefault = false, bool managementPort = false)
    {
        if (IsLoopback(host))
            return null;
        tls ??= TlsSettings.Off;
        var open = new List<string>();
        if (!tls.OnCluster)
            open.Add("the cluster port without TLS (--tls-cert: any process that reaches it can join the cluster or send it requests" +
                (respPort && respPassword ? ", past the Redis port's password and users" : "") + ")");
        var respCertificates = tls.OnResp && tls.RespClientCertificates == ClientCertificates.Yes;
        if (respPort && !respPassword && !respCertificates)
            open.Add("the Redis port without a password (--resp-password-file)");
        if (respPort && respPassword && respOpenDefault && !respCertificates)
            open.Add("the Redis port open to anyone as user default (on nopass in --resp-users)");
        if (respPort && respPassword && !tls.OnResp)
            open.Add("the Redis password in clear text on the network (no TLS: --tls-cert)");
        var httpCertificates = tls.OnHttp && tls.HttpClientCertificates == ClientCertificates.Yes;
        if (httpPort && !httpToken && !httpCertificates)
            open.Add("/metrics without a token (--http-token-file)");
        if (httpPort && httpToken && !tls.OnHttp)
            open.Add("the /metrics token in clear text on the network (no HTTPS: --tls-cert)");
        // The management endpoint (--discovery) is behind the HTTP port's token and HTTPS; it names the cluster's members.
        if (managementPort && !httpToken && !httpCertificates)
            open.Add("the management endpoint without a token (--http-token-file)");
        if (managementPort && httpToken && !tls.OnHttp)
            open.Add("the management endpoint's token in clear text on the network (no HTTPS: --tls-cert)");
        if (open.Count == 0)
            return null;
        return $"distcache: warning: listening on {host}, beyond this machine, with {string.Join("; ", open)}. " +
            "Bind to a trusted network only.";
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
