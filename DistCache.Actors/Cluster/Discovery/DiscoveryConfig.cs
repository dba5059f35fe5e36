using System.Net;
using Akka.Configuration;
using DistCache.Wire;

namespace DistCache.Actors.Cluster.Discovery;

/// <summary>The Akka.Management, Cluster Bootstrap and Akka.Discovery settings a node runs with for its
/// <see cref="DiscoverySettings"/>. Laid over the user's configuration: the join decider is what keeps the
/// store rule, so a --config file cannot undo it. Akka.Management's own HTTP server is not used
/// (<see cref="ManagementEndpoint"/>); its http.* settings still tell Cluster Bootstrap its port.</summary>
public static class DiscoveryConfig
{
    /// <summary>The only decider a node runs: Akka's lowest-address rule, then the store's say.</summary>
    public const string JoinDeciderClass = "DistCache.Actors.Cluster.Discovery.StoreGatedJoinDecider, DistCache.Actors";

    public const string KubernetesMethod = "kubernetes-api";

    /// <summary>The reference settings of the discovery method, beneath everything else: the Kubernetes
    /// method's are not loaded by Akka until its extension is, and Akka.Discovery looks for its class first.</summary>
    public static Config Defaults(DiscoverySettings discovery) => discovery.Method == DiscoveryMethod.Kubernetes
        ? Akka.Discovery.KubernetesApi.KubernetesDiscovery.DefaultConfiguration()
        : Config.Empty;

    public static Config Build(DiscoverySettings discovery, string host)
    {
        if (!discovery.Enabled)
            return Config.Empty;
        var method = discovery.Method == DiscoveryMethod.Config ? "config" : KubernetesMethod;
        // Bound where --host says; advertised under the name the other nodes must find in discovery, which is
        // how Cluster Bootstrap recognises itself among the contact points.
        var advertised = host is "0.0.0.0" or "::" ? Dns.GetHostName() : host;
        var lines = new List<string>
        {
            $"akka.management.http.hostname = {WireConfig.Quote(advertised)}",
            $"akka.management.http.port = {discovery.ManagementPort}",
            $"akka.management.http.bind-hostname = {WireConfig.Quote(host)}",
            $"akka.management.http.bind-port = {discovery.ManagementPort}",
            $"akka.management.cluster.bootstrap.join-decider.class = {WireConfig.Quote(JoinDeciderClass)}",
            $"akka.management.cluster.bootstrap.contact-point-discovery.service-name = {WireConfig.Quote(discovery.ServiceName)}",
            $"akka.management.cluster.bootstrap.contact-point-discovery.discovery-method = {method}",
            $"akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr = {discovery.RequiredContactPoints}",
            // Akka would keep, of the contact points sharing a host, only those on this node's own management
            // port: several nodes on one machine (each its own port) would then each see only themselves.
            "akka.management.cluster.bootstrap.contact-point.filter-on-fallback-port = false",
            $"akka.discovery.method = {method}",
        };
        if (discovery.Method == DiscoveryMethod.Config)
            lines.Add($"akka.discovery.config.services.{WireConfig.Quote(discovery.ServiceName)}.endpoints = [{string.Join(", ", discovery.Endpoints.Select(WireConfig.Quote))}]");
        else
        {
            lines.Add($"akka.discovery.kubernetes-api.pod-label-selector = {WireConfig.Quote(discovery.LabelSelector)}");
            // Empty: Akka reads the pod's namespace from the service-account file.
            if (discovery.Namespace != "")
                lines.Add($"akka.discovery.kubernetes-api.pod-namespace = {WireConfig.Quote(discovery.Namespace)}");
        }
        return ConfigurationFactory.ParseString(string.Join("\n", lines));
    }
}
