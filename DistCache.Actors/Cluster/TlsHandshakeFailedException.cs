using Akka.Actor;
using DistCache.Security;

namespace DistCache.Actors.Cluster;

/// <summary>This node's own TLS handshake with a peer failed, and Akka.Remote stopped the whole actor
/// system (CoordinatedShutdown; Akka 1.5.74 has no setting to keep it up). The peer that refused stays up
/// and logs why (event=tls-peer-refused). The host exits with code 2, as for a configuration error:
/// the usual cause is a certificate of another CA, or an expired one.</summary>
public sealed class TlsHandshakeFailedException(string message) : Exception(message)
{
    public const string Explanation =
        "TLS handshake with a cluster peer failed and the node stopped: check that --tls-cert (distcache.tls.cert) is issued by the CA " +
        "the other nodes trust (their --tls-ca), is not expired, and that --tls-ca holds the CA of their certificates; the refusing peer logs the reason";

    /// <summary>The exception when <paramref name="system"/> stopped because of a failed TLS handshake, else null.</summary>
    public static TlsHandshakeFailedException? Of(ActorSystem system) =>
        AkkaTls.FailedHandshake(system) ? new TlsHandshakeFailedException(Explanation) : null;
}
