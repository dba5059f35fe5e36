using DistCache.Host.Security;

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
}
