using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
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

    private RespTls(TlsSettings settings, TlsMaterial material)
    {
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
                : CaPinnedValidator.Callback(material.TrustedRoots, allowMissing: clients == ClientCertificates.Optional),
        };
    }

    /// <summary>Null when the Redis port is plain TCP.</summary>
    public static RespTls? For(TlsSettings settings) =>
        settings.OnResp ? new RespTls(settings, settings.Material!) : null;

    /// <summary>The TLS stream over <paramref name="network"/>, or null when the handshake failed or took longer
    /// than <c>distcache.tls.handshake-timeout</c>: a plain-TCP client, a foreign certificate or a silent socket
    /// costs this connection only, and the caller closes it.</summary>
    public async Task<SslStream?> AuthenticateAsync(NetworkStream network, CancellationToken stop)
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
            // Redis closes such a connection without a word too: the peer may not even speak TLS.
            await ssl.DisposeAsync();
            return null;
        }
    }
}
