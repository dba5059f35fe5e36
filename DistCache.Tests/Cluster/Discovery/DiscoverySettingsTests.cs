using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Actors.Cluster.Discovery;

namespace DistCache.Tests.Cluster.Discovery;

/// <summary>The discovery options are read once, and a combination that cannot work stops the host naming the setting.</summary>
public sealed class DiscoverySettingsTests
{
    private static DistCacheSettings Settings(NodeOptions options) => NodeConfigBuilder.Build(options).Settings;

    private static ConfigurationException Refused(NodeOptions options) =>
        Assert.Throws<ConfigurationException>(() => NodeConfigBuilder.Build(options));

    [Fact]
    public void Discovery_is_off_by_default_and_adds_no_management_settings()
    {
        var (config, settings) = NodeConfigBuilder.Build(new NodeOptions());
        Assert.Equal(DiscoveryMethod.None, settings.Discovery.Method);
        Assert.Equal(8558, settings.Discovery.ManagementPort);
        Assert.Equal(2, settings.Discovery.RequiredContactPoints);
        Assert.False(config.HasPath("akka.management.cluster.bootstrap.join-decider.class"));
    }

    [Fact]
    public void Config_discovery_without_an_endpoint_is_refused()
    {
        var error = Refused(new NodeOptions { Discovery = "config" });
        Assert.Contains(DiscoverySettings.EndpointsSetting, error.Message);
        Assert.Contains("--discovery-endpoint", error.Message);
    }

    [Fact]
    public void Seeds_together_with_discovery_are_refused()
    {
        var error = Refused(new NodeOptions { Discovery = "config", DiscoveryEndpoints = ["127.0.0.1:8558"], RequiredContactPoints = 1, Seeds = ["127.0.0.1:4053"] });
        Assert.Contains("--seed cannot be combined with distcache.discovery.method (--discovery) = config", error.Message);
    }

    [Fact]
    public void An_unknown_method_is_refused()
    {
        var error = Refused(new NodeOptions { Discovery = "dns" });
        Assert.Contains("distcache.discovery.method (--discovery) = 'dns' is not one of: none, config, kubernetes", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    public void An_endpoint_that_is_not_host_and_port_is_refused(string endpoint)
    {
        var error = Refused(new NodeOptions { Discovery = "config", DiscoveryEndpoints = [endpoint], RequiredContactPoints = 1 });
        Assert.Contains($"(--discovery-endpoint) '{endpoint}' is not host:port", error.Message);
    }

    [Fact]
    public void More_required_contact_points_than_endpoints_are_refused()
    {
        var error = Refused(new NodeOptions { Discovery = "config", DiscoveryEndpoints = ["127.0.0.1:8558"] });
        Assert.Contains(DiscoverySettings.RequiredContactPointsSetting, error.Message);
        Assert.Contains("never form", error.Message);
    }

    [Fact]
    public void Endpoints_without_the_config_method_are_refused()
    {
        var error = Refused(new NodeOptions { Discovery = "kubernetes", DiscoveryEndpoints = ["127.0.0.1:8558"] });
        Assert.Contains("only read by distcache.discovery.method = config", error.Message);
    }

    [Fact]
    public void Zero_required_contact_points_are_refused()
    {
        var error = Refused(new NodeOptions { Discovery = "kubernetes", RequiredContactPoints = 0 });
        Assert.Contains("(--required-contact-points) 0 must be at least 1", error.Message);
    }

    [Fact]
    public void A_management_port_equal_to_the_cluster_port_is_refused()
    {
        var error = Refused(new NodeOptions { Port = 4053, Discovery = "kubernetes", ManagementPort = 4053 });
        Assert.Contains("(--management-port) 4053 is already this node's --port", error.Message);
    }

    [Fact]
    public void Config_discovery_lists_the_endpoints_and_binds_management_on_host()
    {
        var (config, _) = NodeConfigBuilder.Build(new NodeOptions
        {
            Host = "127.0.0.2",
            Discovery = "config",
            DiscoveryService = "shop-cache",
            DiscoveryEndpoints = ["127.0.0.2:9001", "127.0.0.3:9001"],
            ManagementPort = 9001,
        });
        Assert.Equal(["127.0.0.2:9001", "127.0.0.3:9001"], config.GetStringList("akka.discovery.config.services.shop-cache.endpoints"));
        Assert.Equal("config", config.GetString("akka.discovery.method"));
        Assert.Equal("127.0.0.2", config.GetString("akka.management.http.hostname"));
        Assert.Equal("127.0.0.2", config.GetString("akka.management.http.bind-hostname"));
        Assert.Equal(9001, config.GetInt("akka.management.http.port"));
        Assert.Equal(DiscoveryConfig.JoinDeciderClass, config.GetString("akka.management.cluster.bootstrap.join-decider.class"));
        Assert.Equal(2, config.GetInt("akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
    }

    [Fact]
    public void A_config_file_cannot_replace_the_store_gated_join_decider()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "akka.management.cluster.bootstrap.join-decider.class = \"Akka.Management.Cluster.Bootstrap.LowestAddressJoinDecider, Akka.Management\"");
            var (config, _) = NodeConfigBuilder.Build(new NodeOptions { Discovery = "kubernetes", ConfigFile = file });
            Assert.Equal(DiscoveryConfig.JoinDeciderClass, config.GetString("akka.management.cluster.bootstrap.join-decider.class"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Discovery_settings_come_from_hocon_too()
    {
        var discovery = Settings(new NodeOptions
        {
            Overrides = ConfigurationFactory.ParseString("distcache.discovery { method = kubernetes, namespace = shop, required-contact-points = 3 }"),
        }).Discovery;
        Assert.Equal(DiscoveryMethod.Kubernetes, discovery.Method);
        Assert.Equal("shop", discovery.Namespace);
        Assert.Equal(3, discovery.RequiredContactPoints);
        Assert.Equal("app=distcache", discovery.LabelSelector);
    }
}
