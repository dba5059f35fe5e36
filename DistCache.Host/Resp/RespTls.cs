using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DistCache.Actors.Cluster;
using DistCache.Security;

namespace DistCache.Host.Resp;

/// <summary>TLS on the Redis port (Redis's <c>tls-port</c>): the server side of each connection's handshake.
/// The options are built once per server: the certificate context (leaf and intermediates, chain built
/// once) is shared by every connection instead of being rebuilt per handshake.</summary>
public sealed class RespTls
{
    private readonly SslServerAuthenticationOptions _options;
    private readonly TimeSpan _handshakeTimeout;
    private readonly RespTlsRefusals _refusals;
    private readonly ConditionalWeakTable<object, string> _rejections = new();

    private RespTls(TlsSettings settings, TlsMaterial material, RespTlsRefusals refusals)
    {
        _refusals = refusals;
        _handshakeTimeout = settings.HandshakeTimeout;
        var clients = settings.RespClientCertificates;
        _options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(material.Certificate, material.Intermediates, offline: true),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            AllowRenegotiation = false,
            // Asked for unless "no"; "optional" admits a client that has none, but never one of another CA.
            ClientCertificateRequired = clients != ClientCertificates.No,
            RemoteCertificateValidationCallback = clients == ClientCertificates.No
                ? null
                : ValidateClient(material.TrustedRoots, allowMissing: clients == ClientCertificates.Optional),
        };
    }

    // CaPinnedValidator's verdict, with its reason kept for the refusal warning of that connection.
    private RemoteCertificateValidationCallback ValidateClient(X509Certificate2Collection roots, bool allowMissing) =>
        (sender, certificate, chain, _) =>
        {
            if (certificate is null && allowMissing)
                return true;
            var leaf = certificate as X509Certificate2 ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            if (CaPinnedValidator.Validate(leaf, chain, roots, out var reason))
                return true;
            _rejections.AddOrUpdate(sender, reason);
            return false;
        };

    /// <summary>Null when the Redis port is plain TCP.</summary>
    public static RespTls? For(TlsSettings settings, RespTlsRefusals refusals) =>
        settings.OnResp ? new RespTls(settings, settings.Material!, refusals) : null;

    /// <summary>The TLS stream over <paramref name="network"/>, or null when the handshake failed or took longer
    /// than <c>distcache.tls.handshake-timeout</c>: a plain-TCP client, a foreign certificate or a silent socket
    /// costs this connection only, and the caller closes it.</summary>
    public async Task<SslStream?> AuthenticateAsync(Stream network, EndPoint? remote, CancellationToken stop)
    {
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(_handshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(_options, deadline.Token);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException
                                       or OperationCanceledException or ObjectDisposedException)
        {
            // Redis closes such a connection without a word too: the peer may not even speak TLS. A peer
            // that hung up before its handshake ended (an end of stream, no inner error: a TCP port probe)
            // is not worth a warning.
            var hungUp = ex is IOException { InnerException: null };
            if (!stop.IsCancellationRequested && !hungUp)
                _refusals.Refused(remote, _rejections.TryGetValue(ssl, out var rejected)
                    ? "client certificate refused: " + rejected
                    : RespTlsRefusals.Reason(ex, deadline.IsCancellationRequested));
            await ssl.DisposeAsync();
            return null;
        }
    }
}
