using Akka.Discovery.KubernetesApi;
using Akka.Management.Cluster.Bootstrap;
using DistCache.Actors.Cluster;
using DistCache.Actors.Cluster.Discovery;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster.Discovery;

/// <summary>No Kubernetes API server runs here: these check what a node started with the kubernetes method runs with.</summary>
public sealed class KubernetesDiscoveryTests
{
    [Fact]
    public async Task A_kubernetes_node_runs_with_the_label_selector_namespace_and_the_store_gated_decider()
    {
        using var data = new TempFolder();
        var node = DistCacheNode.Start(new NodeOptions
        {
            Port = FreePort.Next(),
            DataDir = data.Path,
            Discovery = "kubernetes",
            DiscoveryLabelSelector = "app=cache,tier=hot",
            DiscoveryNamespace = "shop",
            ManagementPort = FreePort.Next(),
            RequiredContactPoints = 3,
            Overrides = DiscoveryNodes.FastBootstrap,
        });
        try
        {
            var k8s = KubernetesDiscoverySettings.Create(node.System);
            Assert.Equal("app=cache,tier=hot", k8s.PodLabelSelector("distcache"));
            Assert.Equal("shop", k8s.PodNamespace);
            Assert.Equal("KUBERNETES_SERVICE_HOST", k8s.ApiServiceHostEnvName);
            var bootstrap = ClusterBootstrapSettings.Create(node.System.Settings.Config, node.System.Log);
            Assert.Equal(DiscoveryConfig.KubernetesMethod, bootstrap.ContactPointDiscovery.DiscoveryMethod);
            Assert.Equal("distcache", bootstrap.ContactPointDiscovery.ServiceName);
            Assert.Equal(3, bootstrap.ContactPointDiscovery.RequiredContactPointsNr);
            Assert.Equal(DiscoveryConfig.JoinDeciderClass, bootstrap.JoinDecider.ImplClass);
            Assert.IsType<KubernetesApiServiceDiscovery>(Akka.Discovery.Discovery.Get(node.System).LoadServiceDiscovery(DiscoveryConfig.KubernetesMethod));
            // Nothing discovered (no API server), so nothing formed, although the store has no member.
            Assert.Equal(Akka.Cluster.MemberStatus.Removed, Akka.Cluster.Cluster.Get(node.System).SelfMember.Status);
        }
        finally
        {
            await DiscoveryNodes.CrashAllAsync([node]);
        }
    }
}
