using DistCache.Host.Security;

namespace DistCache.Tests.Security;

public sealed class ClusterTlsExposureTests
{
    [Fact]
    public void A_wider_bind_with_cluster_tls_no_longer_calls_the_cluster_port_open()
    {
        var onlyRedis = ExposureWarning.For("10.0.0.5", respPort: true, respPassword: false, httpPort: false, httpToken: false, clusterTls: true);
        Assert.NotNull(onlyRedis);
        Assert.DoesNotContain("cluster port", onlyRedis);
        Assert.Contains("--resp-password-file", onlyRedis);

        Assert.Null(ExposureWarning.For("0.0.0.0", respPort: true, respPassword: true, httpPort: true, httpToken: true, clusterTls: true));
        Assert.Contains("--tls-cert", ExposureWarning.For("0.0.0.0", respPort: false, respPassword: false, httpPort: false, httpToken: false));
    }
}
