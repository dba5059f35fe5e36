using System.Net;
using System.Security.Authentication;
using DistCache.Actors.Cluster;
using DistCache.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace DistCache.Actors.Http;

/// <summary>HTTPS on the HTTP port with the node's certificate (<c>distcache.tls.http</c>). Kestrel's
/// <c>Listen</c> with explicit options, because under <c>CreateSlimBuilder</c> an <c>https://</c> URL in
/// <c>UseUrls</c> needs the full Kestrel HTTPS configuration (dotnet/aspnetcore#47454).</summary>
public static class NodeHttps
{
    public static void Listen(IWebHostBuilder web, string host, int port, TlsSettings tls)
    {
        var options = Options(tls);
        web.ConfigureKestrel(kestrel =>
        {
            if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                kestrel.ListenLocalhost(port, listen => listen.UseHttps(options));
            else
                kestrel.Listen(Address(host), port, listen => listen.UseHttps(options));
        });
    }

    /// <summary>A client certificate, when asked for, must chain to the cluster CA (as on the Redis port).</summary>
    public static HttpsConnectionAdapterOptions Options(TlsSettings tls)
    {
        var material = tls.Material ?? throw new InvalidOperationException("HTTPS needs distcache.tls.cert");
        return new HttpsConnectionAdapterOptions
        {
            ServerCertificate = material.Certificate,
            ServerCertificateChain = material.Intermediates,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            HandshakeTimeout = tls.HandshakeTimeout,
            ClientCertificateMode = tls.HttpClientCertificates switch
            {
                ClientCertificates.Yes => ClientCertificateMode.RequireCertificate,
                ClientCertificates.Optional => ClientCertificateMode.AllowCertificate,
                _ => ClientCertificateMode.NoCertificate,
            },
            // The operating system's verdict is ignored: it knows nothing of the cluster CA.
            ClientCertificateValidation = (certificate, chain, osVerdict) => CaPinnedValidator.Validate(certificate, chain, material.TrustedRoots, out _),
        };
    }

    private static IPAddress Address(string host) =>
        IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host).First();
}
