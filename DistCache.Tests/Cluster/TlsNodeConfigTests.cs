using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>A certificate on the command line turns TLS on in the node's HOCON (and nothing of the
/// certificate goes there), and seed addresses take the akka.ssl.tcp scheme.</summary>
public sealed class TlsNodeConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestPki _pki = TestPki.Create();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_certificate_turns_on_ssl_in_hocon_without_naming_the_files_and_a_users_file_cannot_turn_it_off()
    {
        var (cert, key, ca) = _pki.Write(_folder.Path, "node1", _pki.Issue("node1"));
        var userFile = Path.Combine(_folder.Path, "user.conf");
        File.WriteAllText(userFile, "akka.remote.dot-netty.tcp.enable-ssl = false\nakka.remote.dot-netty.tcp.ssl.require-mutual-authentication = false\n");

        var (config, settings) = NodeConfigBuilder.Build(new NodeOptions { DataDir = _folder.Path, ConfigFile = userFile, TlsCert = cert, TlsKey = key, TlsCa = ca });

        Assert.True(settings.Tls.OnCluster);
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.ssl.require-mutual-authentication"));
        Assert.Equal("", config.GetString("akka.remote.dot-netty.tcp.ssl.certificate.path", ""));
        Assert.Equal("", config.GetString("akka.remote.dot-netty.tcp.ssl.certificate.password", ""));
    }

    [Fact]
    public void A_tls_redis_port_rides_in_the_roles_as_resp_tls_and_a_plain_one_does_not()
    {
        var (cert, key, ca) = _pki.Write(_folder.Path, "node1", _pki.Issue("node1"));
        IList<string> Roles(string hocon) => NodeConfigBuilder.Build(new NodeOptions
        {
            DataDir = _folder.Path, RespPort = 6379, TlsCert = cert, TlsKey = key, TlsCa = ca,
            Overrides = ConfigurationFactory.ParseString(hocon + "\nakka.cluster.roles = [cache, resp-tls]"),
        }).Config.GetStringList("akka.cluster.roles");

        Assert.Equal(["cache", "resp=127.0.0.1:6379", "resp-tls"], Roles(""));
        Assert.Equal(["cache", "resp=127.0.0.1:6379"], Roles("distcache.tls.resp = off"));
    }

    [Fact]
    public void Without_a_certificate_the_transport_stays_plain()
    {
        var (config, settings) = NodeConfigBuilder.Build(new NodeOptions { DataDir = _folder.Path });

        Assert.False(settings.Tls.OnCluster);
        Assert.False(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
    }

    [Fact]
    public void Seed_addresses_use_the_scheme_of_the_transport()
    {
        var options = new NodeOptions { Seeds = ["10.0.0.5:4053", "10.0.0.6:4053"] };

        Assert.All(NodeConfigBuilder.SeedAddresses(options, tls: true), a => Assert.Equal("akka.ssl.tcp", a.Protocol));
        Assert.All(NodeConfigBuilder.SeedAddresses(options, tls: false), a => Assert.Equal("akka.tcp", a.Protocol));
        Assert.Equal("akka.ssl.tcp://distcache@10.0.0.5:4053", ClusterFormation.ToAddress("10.0.0.5:4053", "akka.ssl.tcp").ToString());
    }
}
