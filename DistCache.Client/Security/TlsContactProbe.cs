using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace DistCache.Security;

/// <summary>Asks one TLS endpoint whether it accepts our certificate, the way Akka.Remote would connect.
/// Needed because under TLS 1.3 a client's handshake completes before the server has checked the client's
/// certificate: a node that refuses us answers with an alert after the handshake, which Akka.Remote takes
/// for a dropped connection and retries forever, so a client (or joining node) with a certificate of
/// another CA would otherwise only ever see timeouts. The probe reads once after the handshake: a refusing
/// node sends its alert at once, an accepting one waits for the Akka handshake and says nothing.</summary>
public static class TlsContactProbe
{
    public enum Verdict
    {
        /// <summary>The endpoint completed the handshake and kept the connection open.</summary>
        Accepted,

        /// <summary>The handshake failed on either side, or the endpoint closed after it: it refuses us (or we it).</summary>
        Refused,

        /// <summary>Nothing answered (no listener, a timeout): says nothing about certificates.</summary>
        Unknown,
    }

    public sealed record Result(Verdict Verdict, string Reason);

    /// <summary>When no endpoint accepts us and at least one refuses: that endpoint (host:port) and why; else null.
    /// Endpoints that do not answer count neither way (a seed not up yet).</summary>
    public static async Task<(string Endpoint, string Reason)?> RefusedByAllAsync(IReadOnlyCollection<(string Host, int Port)> endpoints, TlsMaterial material,
        TimeSpan patience)
    {
        var results = await Task.WhenAll(endpoints.Select(e => ProbeAsync(e.Host, e.Port, material, patience))).ConfigureAwait(false);
        if (results.Any(r => r.Verdict == Verdict.Accepted))
            return null;
        foreach (var (endpoint, result) in endpoints.Zip(results))
            if (result.Verdict == Verdict.Refused)
                return ($"{endpoint.Host}:{endpoint.Port}", result.Reason);
        return null;
    }

    public static async Task<Result> ProbeAsync(string host, int port, TlsMaterial material, TimeSpan patience, CancellationToken cancellation = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(patience);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return new Result(Verdict.Unknown, "no connection");
        }

        string? serverRefusal = null;
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ClientCertificates = [material.Certificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => material.Certificate,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                var peer = certificate as X509Certificate2 ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                if (CaPinnedValidator.Validate(peer, chain, material.TrustedRoots, out var reason))
                    return true;
                serverRefusal = reason;
                return false;
            },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            return new Result(Verdict.Refused, serverRefusal is null ? $"the node refused the handshake ({ex.Message})" : $"the node's {serverRefusal}");
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            return new Result(Verdict.Unknown, "no TLS handshake (" + ex.GetType().Name + ")");
        }

        try
        {
            var read = await ssl.ReadAsync(new byte[1], timeout.Token).ConfigureAwait(false);
            return read == 0
                ? new Result(Verdict.Refused, "the node closed the connection right after the handshake: it refused this certificate")
                : new Result(Verdict.Accepted, "");
        }
        catch (OperationCanceledException)
        {
            return new Result(Verdict.Accepted, "");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return new Result(Verdict.Refused, $"the node refused this certificate ({(ex.InnerException ?? ex).Message})");
        }
    }
}
