using DistCache.Actors.Cluster;
using DistCache.Host.Security;
using DistCache.Security;
using DistCache.Tests.Support;

namespace DistCache.Tests.Security;

public class ExposureWarningTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Loopback_binds_print_nothing(string host) =>
        Assert.Null(ExposureWarning.For(host, respPort: true, respPassword: false, httpPort: true, httpToken: false));

    [Fact]
    public void A_wider_bind_names_every_open_door_and_only_those()
    {
        var all = ExposureWarning.For("0.0.0.0", respPort: true, respPassword: false, httpPort: true, httpToken: false);
        Assert.NotNull(all);
        Assert.Contains("0.0.0.0", all);
        Assert.Contains("cluster port", all);
        Assert.Contains("--resp-password-file", all);
        Assert.Contains("--http-token-file", all);

        var protectedPorts = ExposureWarning.For("10.0.0.5", respPort: true, respPassword: true, httpPort: true, httpToken: true);
        Assert.NotNull(protectedPorts);
        Assert.Contains("cluster port", protectedPorts);
        Assert.DoesNotContain("--resp-password-file", protectedPorts);
        Assert.DoesNotContain("--http-token-file", protectedPorts);

        var noExtraPorts = ExposureWarning.For("10.0.0.5", respPort: false, respPassword: false, httpPort: false, httpToken: false);
        Assert.DoesNotContain("Redis port", noExtraPorts);
    }

    [Fact]
    public void A_password_or_token_without_tls_is_named_as_clear_text_and_with_tls_is_not()
    {
        var plain = ExposureWarning.For("10.0.0.5", respPort: true, respPassword: true, httpPort: true, httpToken: true, TlsSettings.Off);
        Assert.Contains("Redis password in clear text", plain);
        Assert.Contains("/metrics token in clear text", plain);

        var secured = ExposureWarning.For("10.0.0.5", respPort: true, respPassword: true, httpPort: true, httpToken: true, WithTls());
        Assert.DoesNotContain("clear text", secured);
    }

    [Fact]
    public void Tls_alone_is_no_credential_but_a_required_client_certificate_is()
    {
        // Anyone can open a TLS connection: without a password or token the port is still open.
        var tlsOnly = ExposureWarning.For("10.0.0.5", respPort: true, respPassword: false, httpPort: true, httpToken: false, WithTls());
        Assert.Contains("--resp-password-file", tlsOnly);
        Assert.Contains("--http-token-file", tlsOnly);

        var clientCertificates = WithTls() with { RespClientCertificates = ClientCertificates.Yes, HttpClientCertificates = ClientCertificates.Yes };
        var mutual = ExposureWarning.For("10.0.0.5", respPort: true, respPassword: false, httpPort: true, httpToken: false, clientCertificates);
        Assert.DoesNotContain("--resp-password-file", mutual);
        Assert.DoesNotContain("--http-token-file", mutual);

        var optional = clientCertificates with { RespClientCertificates = ClientCertificates.Optional, HttpClientCertificates = ClientCertificates.Optional };
        var maybe = ExposureWarning.For("10.0.0.5", respPort: true, respPassword: false, httpPort: true, httpToken: false, optional);
        Assert.Contains("--resp-password-file", maybe);
        Assert.Contains("--http-token-file", maybe);
    }

    private static TlsSettings WithTls()
    {
        var pki = TestPki.Create();
        return TlsSettings.Off with { Material = TlsMaterial.FromCertificate(pki.Issue("node"), null, pki.Roots), Resp = true, Http = true };
    }
    [Fact]
    public void The_management_endpoint_of_discovery_is_named_until_a_token_and_https_guard_it()
    {
        var open = ExposureWarning.For("10.0.0.5", respPort: false, respPassword: false, httpPort: false, httpToken: false, WithTls(), managementPort: true);
        Assert.Contains("management endpoint without a token", open);
        var clear = ExposureWarning.For("10.0.0.5", respPort: false, respPassword: false, httpPort: false, httpToken: true, TlsSettings.Off, managementPort: true);
        Assert.Contains("management endpoint's token in clear text", clear);
        Assert.Null(ExposureWarning.For("10.0.0.5", respPort: false, respPassword: false, httpPort: false, httpToken: true, WithTls() with { Cluster = true }, managementPort: true));
        Assert.DoesNotContain("management", ExposureWarning.For("10.0.0.5", respPort: false, respPassword: false, httpPort: false, httpToken: false, WithTls()) ?? "");
    }
}
