using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using DistCache.Client;
using DistCache.Security;
using DistCache.Tests.Support;

namespace DistCache.Tests.Security;

/// <summary>The client's TLS options load what they are given, pin the CA they are given, and name the
/// DistCache:Tls setting that is wrong.</summary>
public sealed class DistCacheTlsOptionsTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestPki _pki = TestPki.Create();
    private readonly TestPki _other = TestPki.Create("Other CA");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Files_load_into_the_certificate_and_the_ca_as_the_only_root()
    {
        var (cert, key, ca) = _pki.Write(_folder.Path, "app", _pki.Issue("app"));

        var material = new DistCacheTlsOptions { CertificatePath = cert, KeyPath = key, CaPath = ca }.Load();

        Assert.True(material.Certificate.HasPrivateKey);
        Assert.Equal(_pki.Ca.Thumbprint, Assert.Single(material.TrustedRoots).Thumbprint);
    }

    [Fact]
    public void Programmatic_roots_win_over_a_ca_file_and_work_with_a_certificate_file_or_object()
    {
        var leaf = _pki.Issue("app");
        var (cert, key, _) = _pki.Write(_folder.Path, "app", leaf);

        var fromFile = new DistCacheTlsOptions { CertificatePath = cert, KeyPath = key, TrustedRoots = _other.Roots }.Load();
        var fromObject = new DistCacheTlsOptions { Certificate = leaf, TrustedRoots = _pki.Roots }.Load();

        Assert.Equal(_other.Ca.Thumbprint, Assert.Single(fromFile.TrustedRoots).Thumbprint);
        Assert.Equal(leaf.Thumbprint, fromObject.Certificate.Thumbprint);
        Assert.Equal(_pki.Ca.Thumbprint, Assert.Single(fromObject.TrustedRoots).Thumbprint);
    }

    [Fact]
    public void Errors_name_the_setting()
    {
        var (cert, key, ca) = _pki.Write(_folder.Path, "app", _pki.Issue("app"));

        Assert.Contains("DistCache:Tls:CaPath", Assert.Throws<ConfigurationException>(() => new DistCacheTlsOptions { CertificatePath = cert, KeyPath = key }.Load()).Message);
        Assert.Contains("DistCache:Tls:CertificatePath", Assert.Throws<ConfigurationException>(() => new DistCacheTlsOptions { CaPath = ca }.Load()).Message);
        Assert.Contains("DistCache:Tls:KeyPath", Assert.Throws<ConfigurationException>(() => new DistCacheTlsOptions { CertificatePath = cert, CaPath = ca }.Load()).Message);
        var withoutKey = X509CertificateLoader.LoadCertificate(_pki.Issue("bare").RawData);
        Assert.Contains("private key", Assert.Throws<ConfigurationException>(() => new DistCacheTlsOptions { Certificate = withoutKey, TrustedRoots = _pki.Roots }.Load()).Message);
    }

    [Fact]
    public void The_transport_scheme_follows_tls()
    {
        Assert.Equal("akka.tcp", AkkaTls.Scheme(false));
        Assert.Equal("akka.ssl.tcp", AkkaTls.Scheme(true));
        Assert.True(AkkaTls.Hocon.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.True(AkkaTls.Hocon.GetBoolean("akka.remote.dot-netty.tcp.ssl.require-mutual-authentication"));
        Assert.False(AkkaTls.Hocon.HasPath("akka.remote.dot-netty.tcp.ssl.certificate.path"));
    }
}
