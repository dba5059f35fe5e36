using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Security;
using DistCache.Tests.Support;

namespace DistCache.Tests.Security;

public sealed class TlsMaterialTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestPki _pki = TestPki.Create();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Loads_a_pem_certificate_and_key_with_the_ca_as_the_only_root()
    {
        var (cert, key, ca) = _pki.Write(_folder.Path, "node1", _pki.Issue("node1"));

        var material = TlsMaterial.Load(cert, key, null, ca, TlsMaterial.NodeNames);

        Assert.True(material.Certificate.HasPrivateKey);
        Assert.Contains("CN=node1", material.Certificate.Subject);
        Assert.Equal(_pki.Ca.Thumbprint, Assert.Single(material.TrustedRoots).Thumbprint);
    }

    [Fact]
    public void Loads_a_pkcs12_file_with_its_password_from_a_file()
    {
        var leaf = _pki.Issue("node1");
        var pfx = Path.Combine(_folder.Path, "node1.pfx");
        File.WriteAllBytes(pfx, leaf.Export(X509ContentType.Pkcs12, "s3cret-pfx"));
        var passwordFile = Path.Combine(_folder.Path, "pfx.pass");
        File.WriteAllText(passwordFile, "s3cret-pfx\n");
        var (_, _, ca) = _pki.Write(_folder.Path, "unused", leaf);

        var material = TlsMaterial.Load(pfx, null, passwordFile, ca, TlsMaterial.NodeNames);

        Assert.True(material.Certificate.HasPrivateKey);
        Assert.Equal(leaf.Thumbprint, material.Certificate.Thumbprint);
    }

    [Fact]
    public void A_certificate_without_its_key_is_refused_naming_the_key_setting()
    {
        var (cert, _, ca) = _pki.Write(_folder.Path, "node1", _pki.Issue("node1"));

        var error = Assert.Throws<ConfigurationException>(() => TlsMaterial.Load(cert, null, null, ca, TlsMaterial.NodeNames));

        Assert.Contains("--tls-key", error.Message);
        Assert.Contains("private key", error.Message);
    }

    [Fact]
    public void An_expired_certificate_and_one_only_for_servers_are_refused_at_load()
    {
        var (expired, expiredKey, ca) = _pki.Write(_folder.Path, "old", _pki.Issue("old", expired: true));
        var (serverOnly, serverOnlyKey, _) = _pki.Write(_folder.Path, "server", _pki.Issue("server", serverAndClient: false));

        Assert.Contains("expired", Assert.Throws<ConfigurationException>(() => TlsMaterial.Load(expired, expiredKey, null, ca, TlsMaterial.NodeNames)).Message);
        Assert.Contains("clientAuth", Assert.Throws<ConfigurationException>(() => TlsMaterial.Load(serverOnly, serverOnlyKey, null, ca, TlsMaterial.NodeNames)).Message);
    }

    [Fact]
    public void Missing_files_name_the_setting_and_the_path()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            TlsMaterial.Load(Path.Combine(_folder.Path, "none.crt"), null, null, Path.Combine(_folder.Path, "none-ca.crt"), TlsMaterial.NodeNames));

        Assert.Contains("--tls-ca", error.Message);
        Assert.Contains("file not found", error.Message);
    }

    [Fact]
    public void The_validator_accepts_only_certificates_of_the_pinned_ca()
    {
        var foreign = TestPki.Create("Foreign CA");

        Assert.True(CaPinnedValidator.Validate(_pki.Issue("peer"), null, _pki.Roots, out _));
        Assert.False(CaPinnedValidator.Validate(foreign.Issue("intruder"), null, _pki.Roots, out var reason));
        Assert.Contains("CN=intruder", reason);
        Assert.False(CaPinnedValidator.Validate(_pki.Issue("old", expired: true), null, _pki.Roots, out _));
        Assert.False(CaPinnedValidator.Validate(null, null, _pki.Roots, out reason));
        Assert.Contains("no certificate", reason);
    }

    [Fact]
    public void Settings_without_a_certificate_are_off_and_a_lone_ca_is_a_configuration_error()
    {
        Assert.Null(TlsSettings.From(ConfigurationFactory.ParseString("tls { }")).Material);

        var error = Assert.Throws<ConfigurationException>(() => TlsSettings.From(ConfigurationFactory.ParseString("tls.ca = \"/x/ca.crt\"")));
        Assert.Contains("distcache.tls.cert", error.Message);
        var noCa = Assert.Throws<ConfigurationException>(() => TlsSettings.From(ConfigurationFactory.ParseString("tls.cert = \"/x/n.crt\"")));
        Assert.Contains("--tls-ca", noCa.Message);
        var badSwitch = Assert.Throws<ConfigurationException>(() => TlsSettings.From(ConfigurationFactory.ParseString("tls.resp-auth-clients = sometimes")));
        Assert.Contains("distcache.tls.resp-auth-clients", badSwitch.Message);
    }
}
