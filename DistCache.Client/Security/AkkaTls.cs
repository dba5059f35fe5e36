using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace DistCache.Security;

/// <summary>TLS on the Akka transport (node to node, client to node), shared by nodes and clients.
/// The certificate goes only through <see cref="DotNettySslSetup"/>, never into HOCON, so a user's
/// <c>akka.log-config-on-start</c> cannot print where the key is or what protects it.</summary>
public static class AkkaTls
{
    public const string PlainScheme = "akka.tcp";
    public const string TlsScheme = "akka.ssl.tcp";

    /// <summary>The address scheme of a transport with or without TLS: a plain address never reaches a TLS node.</summary>
    public static string Scheme(bool tls) => tls ? TlsScheme : PlainScheme;

    /// <summary>Turns TLS on for the transport; the setup is ignored without it. Mutual authentication is
    /// Akka's default since 1.5.52, stated here so no fallback can turn it off.</summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString("""
        akka.remote.dot-netty.tcp {
          enable-ssl = true
          ssl {
            suppress-validation = false
            require-mutual-authentication = true
          }
        }
        """);

    /// <summary>The transport's certificate and a validator pinned to <see cref="TlsMaterial.TrustedRoots"/>.
    /// Akka's default validator accepts any chain the operating system trusts; this one accepts only the
    /// cluster CA, which is what makes the CA the membership control (Akka.NET has no cluster cookie).</summary>
    public static DotNettySslSetup Setup(TlsMaterial material)
    {
        var roots = material.TrustedRoots;
        return new DotNettySslSetup(material.Certificate, suppressValidation: false, requireMutualAuthentication: true,
            validateCertificateHostname: false, customValidator: (certificate, chain, remotePeer, _, log) =>
            {
                if (CaPinnedValidator.Validate(certificate, chain, roots, out var reason))
                    return true;
                log.Warning("event=tls-peer-refused peer={0}: {1}", remotePeer, reason);
                return false;
            });
    }

    /// <summary>True when the system stopped (or is stopping) because a TLS handshake it started failed:
    /// Akka runs CoordinatedShutdown then, and there is no setting to turn that off. The reason's type is
    /// internal to Akka.Remote 1.5.74, hence the name.</summary>
    public static bool FailedHandshake(ActorSystem system) =>
        CoordinatedShutdown.Get(system).ShutdownReason?.GetType().Name == "TlsHandshakeFailureReason";
}
