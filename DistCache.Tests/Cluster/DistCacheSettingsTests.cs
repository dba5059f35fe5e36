using Akka.Configuration;
using DistCache.Actors.Cluster;

namespace DistCache.Tests.Cluster;

/// <summary>The distcache section is read once at start-up; a bad value is refused with the setting named.</summary>
public sealed class DistCacheSettingsTests
{
    private static DistCacheSettings Read(string overrides) => DistCacheSettings.From(
        ConfigurationFactory.ParseString(overrides).WithFallback(HoconResources.Load("distcache.conf")));

    [Fact]
    public void The_defaults_read_as_documented()
    {
        var settings = Read("");
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ClientTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.RequestTimeout);
    }

    [Theory]
    [InlineData("distcache.client-timeout = 3s", "distcache.client-timeout")]
    [InlineData("distcache.client-timeout = 0s", "distcache.client-timeout")]
    [InlineData("distcache.request-timeout = 0s", "distcache.request-timeout")]
    [InlineData("distcache.durability = sometimes", "distcache.durability")]
    [InlineData("distcache.partitions = 0", "distcache.partitions")]
    public void A_bad_value_is_refused_naming_the_setting(string overrides, string named)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(overrides));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_client_timeout_of_three_heartbeats_is_accepted()
    {
        Assert.Equal(TimeSpan.FromSeconds(6), Read("distcache.client-timeout = 6s").ClientTimeout);
    }
}
