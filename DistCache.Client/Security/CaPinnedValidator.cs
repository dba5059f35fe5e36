using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DistCache.Security;

/// <summary>Accepts a peer certificate only when it chains to the cluster CA, whatever the operating
/// system trusts. Akka.NET has no cluster cookie: this check is what makes the CA the membership control.
/// No host-name check: nodes may join by IP, and holding a CA-signed certificate is the identity.</summary>
public static class CaPinnedValidator
{
    /// <summary>True when <paramref name="certificate"/> chains to one of <paramref name="roots"/>;
    /// otherwise <paramref name="reason"/> says why, with subject, issuer and chain status (no key material).</summary>
    public static bool Validate(X509Certificate2? certificate, X509Chain? presented, X509Certificate2Collection roots, out string reason)
    {
        if (certificate is null)
        {
            reason = "the peer sent no certificate";
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        if (chain.Build(certificate))
        {
            reason = "";
            return true;
        }
        var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        reason = $"certificate '{certificate.Subject}' issued by '{certificate.Issuer}' does not chain to the cluster CA ({status})";
        return false;
    }

    /// <summary>An <see cref="RemoteCertificateValidationCallback"/> for SslStream (RESP, HTTPS, clients).
    /// <paramref name="allowMissing"/>: a peer without a certificate is accepted (server side, client auth optional).</summary>
    public static RemoteCertificateValidationCallback Callback(X509Certificate2Collection roots, bool allowMissing = false) =>
        (_, certificate, chain, _) => certificate is null
            ? allowMissing
            : Validate(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), chain, roots, out _);
}
