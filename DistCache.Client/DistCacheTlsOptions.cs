using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using DistCache.Security;

namespace DistCache.Client;

/// <summary>TLS to the cluster: the client's certificate (issued by the cluster CA, EKU serverAuth and
/// clientAuth, as the nodes' are) and the CA the nodes' certificates must chain to. There is no password:
/// the certificate is the credential, and a holder of a cluster-CA certificate is a full peer of the
/// cluster, so give client certificates only to trusted application servers. Either the file paths or
/// <see cref="Certificate"/> and <see cref="TrustedRoots"/> (loaded by the application, from a key vault say).</summary>
public sealed class DistCacheTlsOptions
{
    /// <summary>The client's certificate: PEM (leaf first, key in <see cref="KeyPath"/>) or .pfx/.p12.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/> (empty for .pfx, or a PEM holding both).</summary>
    public string? KeyPath { get; set; }

    /// <summary>A file holding the password of an encrypted key or .pfx (a file, never a setting).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>PEM bundle of the cluster CA: the only roots the nodes' certificates may chain to.</summary>
    public string? CaPath { get; set; }

    /// <summary>The client's certificate with its private key, instead of <see cref="CertificatePath"/>.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>The cluster CA, instead of <see cref="CaPath"/>.</summary>
    public X509Certificate2Collection? TrustedRoots { get; set; }

    private static readonly TlsMaterial.Names Names = new(
        "DistCache:Tls:CertificatePath", "DistCache:Tls:KeyPath", "DistCache:Tls:PasswordFile", "DistCache:Tls:CaPath");

    /// <summary>Loads and checks the certificate and CA; a <see cref="ConfigurationException"/> names the
    /// setting that is wrong.</summary>
    internal TlsMaterial Load()
    {
        if (TrustedRoots is null && string.IsNullOrEmpty(CaPath))
            throw new ConfigurationException($"{Names.Ca} (or TrustedRoots) is required with TLS: nodes are trusted only when they chain to the cluster CA");
        if (Certificate is null && string.IsNullOrEmpty(CertificatePath))
            throw new ConfigurationException($"{Names.Cert} (or Certificate) is required with TLS: nodes accept only clients with a cluster-CA certificate");
        if (Certificate is null && TrustedRoots is null)
            return TlsMaterial.Load(Path.GetFullPath(CertificatePath!), Full(KeyPath), Full(PasswordFile), Path.GetFullPath(CaPath!), Names);

        var roots = TrustedRoots ?? TlsMaterial.LoadCa(Path.GetFullPath(CaPath!), Names.Ca);
        if (Certificate is not null)
            return TlsMaterial.FromCertificate(Certificate, null, roots, "DistCache:Tls:Certificate");
        // A certificate file with programmatic roots: load the file against its own chain, then pin the given roots.
        var fromFile = TlsMaterial.Load(Path.GetFullPath(CertificatePath!), Full(KeyPath), Full(PasswordFile), Path.GetFullPath(CertificatePath!), Names);
        return TlsMaterial.FromCertificate(fromFile.Certificate, fromFile.Intermediates, roots, Names.Cert);

        static string? Full(string? path) => string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path);
    }
}
