using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster.Discovery;

/// <summary>Seedless nodes that form by config discovery on loopback ports, with Cluster Bootstrap's
/// margins shortened from seconds to fractions so a formation takes a few seconds.</summary>
public static class DiscoveryNodes
{
    public static readonly Config FastBootstrap = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.management.cluster.bootstrap {
          contact-point-discovery.stable-margin = 1s
          contact-point-discovery.interval = 500ms
          contact-point.probe-interval = 1s
        }
        distcache.partitions = 64
        distcache.shards = 16
        """);

    /// <summary>A node on <paramref name="dataDir"/> whose config discovery lists <paramref name="endpoints"/>.</summary>
    public static NodeOptions Options(string dataDir, int managementPort, IReadOnlyList<string> endpoints, int required) => new()
    {
        Port = FreePort.Next(),
        DataDir = dataDir,
        Discovery = "config",
        DiscoveryEndpoints = endpoints,
        ManagementPort = managementPort,
        RequiredContactPoints = required,
        Overrides = FastBootstrap,
    };

    public static int UpMembers(DistCacheNode node) =>
        Akka.Cluster.Cluster.Get(node.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up);

    /// <summary>The oldest member this node knows: one cluster has one.</summary>
    public static string Leader(DistCacheNode node) => Akka.Cluster.Cluster.Get(node.System).State.Leader?.ToString() ?? "";

    public static async Task CrashAllAsync(IEnumerable<DistCacheNode> nodes)
    {
        foreach (var node in nodes)
            await node.System.Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
    }
}
