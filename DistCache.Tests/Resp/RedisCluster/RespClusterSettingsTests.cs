using Akka.Configuration;
using DistCache.Actors.Cluster;

namespace DistCache.Tests.Resp.RedisCluster;

/// <summary>distcache.resp.cluster-mode, announce-host and announce-port: read once, checked, and the announced
/// endpoint put in the member's roles where the other nodes read it.</summary>
public sealed class RespClusterSettingsTests
{
    private static RespSettings Read(string hocon) => RespSettings.From(ConfigurationFactory.ParseString(hocon));

    private static IList<string> Roles(NodeOptions options) => NodeConfigBuilder.Build(options).Config.GetStringList("akka.cluster.roles");

    [Fact]
    public void Defaults_are_off_and_the_bound_host_and_redis_port()
    {
        var settings = Read("");
        Assert.Equal(RespClusterMode.Off, settings.ClusterMode);
        Assert.Null(settings.AnnounceHost);
        Assert.Null(settings.AnnouncePort);
        Assert.Equal(new RespAnnounce("10.1.2.3", 6379), RespAnnounce.For(settings, "10.1.2.3", 6379));
        Assert.Null(RespAnnounce.For(settings, "10.1.2.3", null));
    }

    [Theory]
    [InlineData("on", RespClusterMode.On)]
    [InlineData("off", RespClusterMode.Off)]
    [InlineData("AUTO", RespClusterMode.Auto)]
    public void Cluster_mode_reads_its_three_values(string value, RespClusterMode expected) =>
        Assert.Equal(expected, Read($"distcache.resp.cluster-mode = {value}").ClusterMode);

    [Theory]
    [InlineData("distcache.resp.cluster-mode = sometimes", "distcache.resp.cluster-mode = 'sometimes' is not one of: auto, on, off")]
    [InlineData("distcache.resp.announce-port = 70000", "distcache.resp.announce-port = '70000' must be a TCP port")]
    [InlineData("distcache.resp.announce-port = x", "distcache.resp.announce-port = 'x' must be a TCP port")]
    public void A_bad_value_names_the_setting(string hocon, string message) =>
        Assert.StartsWith(message, Assert.Throws<ConfigurationException>(() => Read(hocon)).Message);

    [Fact]
    public void The_announced_endpoint_rides_in_the_member_roles()
    {
        Assert.Contains("resp=127.0.0.1:6379", Roles(new NodeOptions { RespPort = 6379, Port = 4999 }));
        Assert.Contains("resp=db1.example:7000", Roles(new NodeOptions { RespPort = 6379, RespAnnounceHost = "db1.example", RespAnnouncePort = 7000, Port = 4999 }));
        Assert.DoesNotContain(Roles(new NodeOptions { Port = 4999 }), r => r.StartsWith("resp=", StringComparison.Ordinal));
        // A node that serves no Redis port announces none.
        Assert.DoesNotContain(Roles(new NodeOptions { RespAnnouncePort = 7000, Port = 4999 }), r => r.StartsWith("resp=", StringComparison.Ordinal));
        // Roles of the user's own are kept.
        var own = Roles(new NodeOptions { RespPort = 6379, Port = 4999, Overrides = ConfigurationFactory.ParseString("akka.cluster.roles = [cache]") });
        Assert.Equal(["cache", "resp=127.0.0.1:6379"], own);
    }

    [Fact]
    public void A_members_endpoint_is_read_back_from_its_roles()
    {
        Assert.Equal(new RespAnnounce("db1.example", 7000), RespAnnounce.FromRoles(["cache", "resp=db1.example:7000"]));
        Assert.Null(RespAnnounce.FromRoles(["cache"]));
        Assert.Null(RespAnnounce.FromRoles(["resp=nonsense"]));
        Assert.Null(RespAnnounce.FromRoles(["resp-tls"]));
    }

    [Fact]
    public void A_tls_only_redis_port_is_announced_with_the_role_resp_tls_and_read_back_as_tls()
    {
        var announce = RespAnnounce.For(Read(""), "db1.example", 7000, tls: true)!;

        Assert.Equal(["resp=db1.example:7000", "resp-tls"], announce.Roles);
        Assert.Equal(["resp=db1.example:7000"], new RespAnnounce("db1.example", 7000).Roles);
        Assert.Equal(announce, RespAnnounce.FromRoles(["resp-tls", "cache", "resp=db1.example:7000"]));
        Assert.False(RespAnnounce.FromRoles(["resp=db1.example:7000"])!.Tls);
    }
}
