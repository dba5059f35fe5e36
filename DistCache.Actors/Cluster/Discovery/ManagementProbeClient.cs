using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DistCache.Security;

namespace DistCache.Actors.Cluster.Discovery;

/// <summary>The HTTP client a node probes the other nodes' management endpoints with: it sends the HTTP port's
/// token (<c>distcache.http.token-file</c>) and, with HTTPS on (<c>distcache.tls.http</c>), trusts only the
/// cluster CA and shows the node's own certificate, as those endpoints require. Akka.Management's own probe is a
/// bare <c>new HttpClient()</c> and can do neither.</summary>
internal static class ManagementProbeClient
{
    public static HttpClient Create(DistCacheSettings settings, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        if (settings.Tls.OnHttp)
        {
            var material = settings.Tls.Material!;
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificates = [material.Certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => material.Certificate,
                // The operating system's trust store knows nothing of the cluster CA.
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    var peer = certificate as X509Certificate2 ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                    return CaPinnedValidator.Validate(peer, chain, material.TrustedRoots, out _);
                },
            };
        }
        var http = new HttpClient(handler) { Timeout = timeout };
        if (settings.Http.TokenToSend is { } token)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
