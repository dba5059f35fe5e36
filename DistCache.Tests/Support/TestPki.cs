using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DistCache.Tests.Support;

/// <summary>Certificates made per test run (ECDSA P-256): a cluster CA, a foreign CA, and leaves for
/// 127.0.0.1/localhost usable as server and client. <see cref="Write"/> puts PEM files in a folder for
/// host processes, redis-cli and curl.</summary>
public sealed class TestPki
{
    private TestPki(X509Certificate2 ca)
    {
        Ca = ca;
    }

    /// <summary>The CA, with its private key (it signs the leaves).</summary>
    public X509Certificate2 Ca { get; }

    public X509Certificate2Collection Roots => [X509CertificateLoader.LoadCertificate(Ca.RawData)];

    public static TestPki Create(string name = "DistCache Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=DistCache Test, CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow.AddDays(2));
        return new TestPki(X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable));
    }

    /// <summary>A leaf signed by this CA, with its private key. <paramref name="expired"/>: valid only in the past.
    /// <paramref name="serverAndClient"/> false: EKU serverAuth only (a misissued node certificate).</summary>
    public X509Certificate2 Issue(string commonName, bool expired = false, bool serverAndClient = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=DistCache Test, CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") };
        if (serverAndClient)
            usages.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        var notBefore = expired ? DateTimeOffset.UtcNow.AddDays(-5) : DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = expired ? DateTimeOffset.UtcNow.AddDays(-4) : DateTimeOffset.UtcNow.AddDays(1);
        var serial = RandomNumberGenerator.GetBytes(12);
        using var signed = request.Create(Ca, notBefore, notAfter, serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>Files for a leaf in <paramref name="folder"/>: <c>name.crt</c>, <c>name.key</c> (PEM), and <c>ca.crt</c>
    /// of this CA (named <paramref name="caFile"/>).</summary>
    public (string Cert, string Key, string Ca) Write(string folder, string name, X509Certificate2 leaf, string caFile = "ca.crt")
    {
        var cert = Path.Combine(folder, name + ".crt");
        var keyPath = Path.Combine(folder, name + ".key");
        var ca = Path.Combine(folder, caFile);
        File.WriteAllText(cert, leaf.ExportCertificatePem());
        File.WriteAllText(keyPath, leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(ca, Ca.ExportCertificatePem());
        return (cert, keyPath, ca);
    }
}
