using Akka.Configuration;

namespace DistCache.Actors.Cluster.Discovery;

/// <summary>The <c>distcache.discovery { … }</c> section, read once at start-up: how Akka.Management's
/// Cluster Bootstrap finds the other nodes. Whatever it finds, the store still decides who forms a cluster
/// (<see cref="StoreGatedJoinDecider"/>).</summary>
public sealed record DiscoverySettings(
    DiscoveryMethod Method,
    string ServiceName,
    IReadOnlyList<string> Endpoints,
    string LabelSelector,
    string Namespace,
    int ManagementPort,
    int RequiredContactPoints)
{
    public const string MethodSetting = "distcache.discovery.method";
    public const string ServiceSetting = "distcache.discovery.service-name";
    public const string EndpointsSetting = "distcache.discovery.endpoints";
    public const string LabelSelectorSetting = "distcache.discovery.label-selector";
    public const string NamespaceSetting = "distcache.discovery.namespace";
    public const string ManagementPortSetting = "distcache.discovery.management-port";
    public const string RequiredContactPointsSetting = "distcache.discovery.required-contact-points";

    /// <summary>No discovery: formation by --seed and the store.</summary>
    public static readonly DiscoverySettings None = new(DiscoveryMethod.None, "distcache", [], "app=distcache", "", 8558, 2);

    public bool Enabled => Method != DiscoveryMethod.None;

    public static DiscoverySettings From(Config distcache)
    {
        var methodRaw = distcache.GetString("discovery.method", "none");
        var method = methodRaw.ToLowerInvariant() switch
        {
            "none" or "" => DiscoveryMethod.None,
            "config" => DiscoveryMethod.Config,
            "kubernetes" or "kubernetes-api" => DiscoveryMethod.Kubernetes,
            _ => throw new ConfigurationException($"{MethodSetting} (--discovery) = '{methodRaw}' is not one of: none, config, kubernetes"),
        };

        var service = distcache.GetString("discovery.service-name", "distcache");
        if (string.IsNullOrWhiteSpace(service))
            throw new ConfigurationException($"{ServiceSetting} (--discovery-service) must not be empty");

        var endpoints = distcache.GetStringList("discovery.endpoints", []).ToArray();
        foreach (var endpoint in endpoints)
            if (!NodeConfigBuilder.TryParseHostPort(endpoint, out _, out var endpointPort) || endpointPort is < 1 or > 65535)
                throw new ConfigurationException($"{EndpointsSetting} (--discovery-endpoint) '{endpoint}' is not host:port");
        if (method == DiscoveryMethod.Config && endpoints.Length == 0)
            throw new ConfigurationException(
                $"{MethodSetting} = config needs the management endpoints of the nodes: {EndpointsSetting} (--discovery-endpoint HOST:PORT, repeatable)");
        if (method != DiscoveryMethod.Config && endpoints.Length > 0)
            throw new ConfigurationException($"{EndpointsSetting} (--discovery-endpoint) is only read by {MethodSetting} = config");

        var selector = distcache.GetString("discovery.label-selector", "app=distcache");
        if (string.IsNullOrWhiteSpace(selector))
            throw new ConfigurationException($"{LabelSelectorSetting} (--discovery-label-selector) must not be empty");
        // Akka formats the selector with the service name ("app={0}"); a literal brace would break that.
        if (selector.Contains('{') || selector.Contains('}'))
            throw new ConfigurationException($"{LabelSelectorSetting} (--discovery-label-selector) '{selector}' must not contain braces");

        var ns = distcache.GetString("discovery.namespace", "");
        var port = distcache.GetInt("discovery.management-port", 8558);
        if (port is < 1 or > 65535)
            throw new ConfigurationException($"{ManagementPortSetting} (--management-port) {port} is not a TCP port (1-65535)");
        var required = distcache.GetInt("discovery.required-contact-points", 2);
        if (required < 1)
            throw new ConfigurationException($"{RequiredContactPointsSetting} (--required-contact-points) {required} must be at least 1");
        if (method == DiscoveryMethod.Config && required > endpoints.Length)
            throw new ConfigurationException(
                $"{RequiredContactPointsSetting} (--required-contact-points) {required} exceeds the {endpoints.Length} endpoint(s) of {EndpointsSetting}: " +
                "the cluster would never form");

        return new DiscoverySettings(method, service, endpoints, selector, ns, port, required);
    }
}
