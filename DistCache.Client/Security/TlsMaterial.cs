using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;

namespace DistCache.Security;

/// <summary>A node's or client's TLS identity and the cluster CA it trusts, loaded once at start-up.
/// The certificate file is PEM (leaf first, then any intermediates, key in <c>key</c>) or PKCS#12
/// (<c>.pfx</c>/<c>.p12</c>, key inside). Passwords come only from files: arguments show in
/// <c>/proc/*/cmdline</c>. Errors are <see cref="ConfigurationException"/>s naming the setting.</summary>
public sealed class TlsMaterial
{
    private TlsMaterial(X509Certificate2 certificate, X509Certificate2Collection intermediates, X509Certificate2Collection trustedRoots)
    {
        Certificate = certificate;
        Intermediates = intermediates;
        TrustedRoots = trustedRoots;
    }

    /// <summary>The leaf certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Certificates between the leaf and the CA, sent to peers so they can build the chain.</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>The only roots a peer may chain to (never the operating system's store).</summary>
    public X509Certificate2Collection TrustedRoots { get; }

    /// <summary>The names under which each file was given, for error messages (e.g. "distcache.tls.cert (--tls-cert)").</summary>
    public sealed record Names(string Cert, string Key, string PasswordFile, string Ca);

    public static readonly Names NodeNames = new(
        "distcache.tls.cert (--tls-cert)", "distcache.tls.key (--tls-key)", "distcache.tls.password-file (--tls-password-file)", "distcache.tls.ca (--tls-ca)");

    public static TlsMaterial Load(string certPath, string? keyPath, string? passwordFile, string caPath, Names names)
    {
        var password = string.IsNullOrEmpty(passwordFile) ? null : ReadSecret(passwordFile, names.PasswordFile);
        var roots = LoadCa(caPath, names.Ca);
        var (leaf, intermediates) = LoadCertificate(certPath, keyPath, password, names);
        return FromCertificate(leaf, intermediates, roots, names.Cert);
    }

    /// <summary>For certificates loaded by the application (a key vault): checks the same things as <see cref="Load"/>.</summary>
    public static TlsMaterial FromCertificate(X509Certificate2 certificate, X509Certificate2Collection? intermediates, X509Certificate2Collection trustedRoots, string name = "certificate")
    {
        if (!certificate.HasPrivateKey)
            throw new ConfigurationException($"{name}: the certificate has no private key (give the key file, or a .pfx that holds it)");
        if (trustedRoots.Count == 0)
            throw new ConfigurationException($"{name}: no trusted CA certificate was given");
        var now = DateTime.Now;
        if (certificate.NotAfter < now)
            throw new ConfigurationException($"{name}: the certificate '{certificate.Subject}' expired on {certificate.NotAfter:u}");
        if (certificate.NotBefore > now)
            throw new ConfigurationException($"{name}: the certificate '{certificate.Subject}' is not valid before {certificate.NotBefore:u}");
        CheckUsage(certificate, name);
        return new TlsMaterial(certificate, intermediates ?? [], trustedRoots);
    }

    private static void CheckUsage(X509Certificate2 certificate, string name)
    {
        // Every node is a TLS server and a TLS client (it dials its peers), and so is a cluster client
        // (a node may dial back its listener): the certificate must allow both, or name no usage at all.
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is null)
            return;
        var oids = eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToHashSet();
        const string serverAuth = "1.3.6.1.5.5.7.3.1", clientAuth = "1.3.6.1.5.5.7.3.2";
        if (!oids.Contains(serverAuth) || !oids.Contains(clientAuth))
            throw new ConfigurationException($"{name}: the certificate's extended key usage must include both serverAuth and clientAuth");
    }

    /// <summary>A CA bundle (PEM or PKCS#12) on its own, for clients given the certificate programmatically.</summary>
    public static X509Certificate2Collection LoadCa(string path, string name)
    {
        RequireFile(path, name);
        var roots = new X509Certificate2Collection();
        try
        {
            if (IsPkcs12(path))
                roots.AddRange(X509CertificateLoader.LoadPkcs12CollectionFromFile(path, null));
            else
                roots.ImportFromPemFile(path);
        }
        catch (CryptographicException ex)
        {
            throw new ConfigurationException($"{name} = '{path}': not a PEM or PKCS#12 certificate file ({ex.Message})");
        }
        if (roots.Count == 0)
            throw new ConfigurationException($"{name} = '{path}': the file holds no certificate");
        return roots;
    }

    private static (X509Certificate2 Leaf, X509Certificate2Collection Intermediates) LoadCertificate(string certPath, string? keyPath, string? password, Names names)
    {
        RequireFile(certPath, names.Cert);
        try
        {
            if (IsPkcs12(certPath))
            {
                var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(certPath, password, X509KeyStorageFlags.Exportable);
                var leaf = all.FirstOrDefault(c => c.HasPrivateKey)
                    ?? throw new ConfigurationException($"{names.Cert} = '{certPath}': the PKCS#12 file holds no private key");
                var rest = new X509Certificate2Collection();
                foreach (var c in all)
                    if (!ReferenceEquals(c, leaf))
                        rest.Add(c);
                return (leaf, rest);
            }

            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certPath);
            if (chain.Count == 0)
                throw new ConfigurationException($"{names.Cert} = '{certPath}': the file holds no certificate");
            var keyFile = string.IsNullOrEmpty(keyPath) ? certPath : keyPath;
            if (!string.IsNullOrEmpty(keyPath))
                RequireFile(keyPath, names.Key);
            X509Certificate2 withKey;
            try
            {
                withKey = password is null
                    ? X509Certificate2.CreateFromPemFile(certPath, keyFile)
                    : X509Certificate2.CreateFromEncryptedPemFile(certPath, password, keyFile);
            }
            catch (CryptographicException ex)
            {
                var which = string.IsNullOrEmpty(keyPath) ? names.Key + " is not set and the certificate file" : names.Key + $" = '{keyPath}'";
                throw new ConfigurationException($"{which}: no private key matching the certificate could be read ({ex.Message})");
            }
            // A PEM-loaded key is ephemeral; SslStream needs it re-imported (dotnet/runtime#23749).
            var leafWithKey = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
            withKey.Dispose();
            var intermediates = new X509Certificate2Collection();
            for (var i = 1; i < chain.Count; i++)
                intermediates.Add(chain[i]);
            return (leafWithKey, intermediates);
        }
        catch (CryptographicException ex)
        {
            // The message names the file and the reason, never the password.
            throw new ConfigurationException($"{names.Cert} = '{certPath}': cannot be read as a certificate ({ex.Message})");
        }
    }

    private static bool IsPkcs12(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    private static void RequireFile(string path, string name)
    {
        if (!File.Exists(path))
            throw new ConfigurationException($"{name} = '{path}': file not found");
    }

    /// <summary>A secret kept in a file: one trailing newline (LF or CRLF) is not part of it.</summary>
    public static string ReadSecret(string path, string name)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var why = ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : "cannot be read (" + ex.GetType().Name + ")";
            throw new ConfigurationException($"{name} = '{path}': {why}");
        }
        if (text.EndsWith('\n'))
            text = text[..^1];
        if (text.EndsWith('\r'))
            text = text[..^1];
        if (text.Length == 0)
            throw new ConfigurationException($"{name} = '{path}': the file is empty");
        return text;
    }

    // Printed by records that hold it; says which identity without anything secret.
    public override string ToString() => $"TlsMaterial({Certificate.Subject}, {TrustedRoots.Count} CA)";
}
