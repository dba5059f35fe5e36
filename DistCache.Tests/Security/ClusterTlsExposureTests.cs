using DistCache.Actors.Cluster;
using DistCache.Host.Security;
using DistCache.Security;
using DistCache.Tests.Support;

namespace DistCache.Tests.Security;

public sealed class ClusterTlsExposureTests
{
    [Fact]
    public void A_wider_bind_with_cluster_tls_no_longer_calls_the_cluster_port_open()
    {
        var pki = TestPki.Create();
        var tls = TlsSettings.Off with { Material = TlsMaterial.FromCertificate(pki.Issue("node"), null, pki.Roots), Cluster = true, Resp = true, Http = true };

        var onlyRedis = ExposureWarning.For("10.0.0.5", respPort: true, respPassword: false, httpPort: false, httpToken: false, tls);
        Assert.NotNull(onlyRedis);
        Assert.DoesNotContain("cluster port", onlyRedis);
        Assert.Contains("--resp-password-file", onlyRedis);

        Assert.Null(ExposureWarning.For("0.0.0.0", respPort: true, respPassword: true, httpPort: true, httpToken: true, tls));
        Assert.Contains("--tls-cert", ExposureWarning.For("0.0.0.0", respPort: false, respPassword: false, httpPort: false, httpToken: false));
        Assert.Contains("cluster port", ExposureWarning.For("0.0.0.0", respPort: false, respPassword: false, httpPort: false, httpToken: false, tls with { Cluster = false }));
    }

    [Fact]
    public void A_users_file_with_an_open_default_user_is_called_open_and_a_plain_cluster_port_bypasses_the_password()
    {
        var pki = TestPki.Create();
        var tls = TlsSettings.Off with { Material = TlsMaterial.FromCertificate(pki.Issue("node"), null, pki.Roots), Cluster = true, Resp = true, Http = true };

        Assert.Contains("user default", ExposureWarning.For("10.0.0.5", respPort: true, respPassword: true, httpPort: false, httpToken: false, tls, respOpenDefault: true));
        Assert.Null(ExposureWarning.For("10.0.0.5", respPort: true, respPassword: true, httpPort: false, httpToken: false, tls, respOpenDefault: false));
        Assert.Null(ExposureWarning.For("127.0.0.1", respPort: true, respPassword: true, httpPort: false, httpToken: false, tls, respOpenDefault: true));
        Assert.Contains("past the Redis port's password", ExposureWarning.For("10.0.0.5", respPort: true, respPassword: true, httpPort: false, httpToken: false, tls with { Cluster = false }));
    }
}
