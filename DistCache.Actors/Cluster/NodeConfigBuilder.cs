using DistCache.Security;
using DistCache.Wire;
using System.Net;
using Akka.Configuration;
using DistCache.Actors.Cluster.Discovery;

namespace DistCache.Actors.Cluster;

/// <summary>Composes a node's configuration: command-line options, then test overrides, then the user's
/// HOCON file, then the shipped defaults; then the generated store and wire settings.</summary>
public static class NodeConfigBuilder
{
    public const string SystemName = NodeAddress.SystemName;

    public static (Config Config, DistCacheSettings Settings) Build(NodeOptions options)
    {
        if (options.Port is < 0 or > 65535)
            throw new ConfigurationException($"--port {options.Port} is not a TCP port (0-65535)");

        _ = SeedAddresses(options, tls: false); // validates --seed before anything starts
        var lines = new List<string>
        {
            $"akka.remote.dot-netty.tcp.hostname = {WireConfig.Quote(options.Host)}",
            $"akka.remote.dot-netty.tcp.port = {options.Port}",
            // Joined by DistCacheNode after JoinGuard has checked the seeds.
            "akka.cluster.seed-nodes = []",
        };
        if (options.Host is "0.0.0.0" or "::")
            lines.Add($"akka.remote.dot-netty.tcp.public-hostname = {WireConfig.Quote(Dns.GetHostName())}");
        if (options.DataDir is not null)
            lines.Add($"distcache.data-dir = {WireConfig.Quote(options.DataDir)}");
        if (options.Partitions is not null)
            lines.Add($"distcache.partitions = {options.Partitions}");
        if (options.Journal is not null)
            lines.Add($"distcache.journal = {WireConfig.Quote(options.Journal)}");
        if (options.Durability is not null)
            lines.Add($"distcache.durability = {WireConfig.Quote(options.Durability)}");
        if (options.RespPasswordFile is not null)
            lines.Add($"distcache.resp.requirepass-file = {WireConfig.Quote(options.RespPasswordFile)}");
        if (options.RespUsersFile is not null)
            lines.Add($"{RespSettings.UsersFileKey} = {WireConfig.Quote(options.RespUsersFile)}");
        if (options.RespAnnounceHost is not null)
            lines.Add($"{RespAnnounce.HostKey} = {WireConfig.Quote(options.RespAnnounceHost)}");
        if (options.RespAnnouncePort is not null)
            lines.Add($"{RespAnnounce.PortKey} = {options.RespAnnouncePort}");
        if (options.RespClusterMode is not null)
            lines.Add($"{RespSettings.ClusterModeKey} = {WireConfig.Quote(options.RespClusterMode)}");
        if (options.NotifyKeyspaceEvents is not null)
            lines.Add($"{DistCacheSettings.KeyspaceEventsKey} = {WireConfig.Quote(options.NotifyKeyspaceEvents)}");
        if (options.ConnectionString is not null)
            lines.Add($"distcache.connection-string = {WireConfig.Quote(options.ConnectionString)}");
        if (options.ConnectionStringFile is not null)
            lines.Add($"{JournalConnectionString.FileSetting} = {WireConfig.Quote(options.ConnectionStringFile)}");
        if (options.HttpTokenFile is not null)
            lines.Add($"{HttpSettings.TokenFileSetting} = {WireConfig.Quote(options.HttpTokenFile)}");
        foreach (var (value, setting) in new[] { (options.Discovery, DiscoverySettings.MethodSetting), (options.DiscoveryService, DiscoverySettings.ServiceSetting),
                     (options.DiscoveryLabelSelector, DiscoverySettings.LabelSelectorSetting), (options.DiscoveryNamespace, DiscoverySettings.NamespaceSetting) })
            if (value is not null)
                lines.Add($"{setting} = {WireConfig.Quote(value)}");
        if (options.DiscoveryEndpoints is { Count: > 0 } endpoints)
            lines.Add($"{DiscoverySettings.EndpointsSetting} = [{string.Join(", ", endpoints.Select(WireConfig.Quote))}]");
        if (options.ManagementPort is not null)
            lines.Add($"{DiscoverySettings.ManagementPortSetting} = {options.ManagementPort}");
        if (options.RequiredContactPoints is not null)
            lines.Add($"{DiscoverySettings.RequiredContactPointsSetting} = {options.RequiredContactPoints}");
        foreach (var (value, setting) in new[] { (options.TlsCert, TlsSettings.CertSetting), (options.TlsKey, TlsSettings.KeySetting),
                     (options.TlsPasswordFile, TlsSettings.PasswordFileSetting), (options.TlsCa, TlsSettings.CaSetting) })
            if (value is not null)
                lines.Add($"{setting} = {WireConfig.Quote(value)}");

        var config = ConfigurationFactory.ParseString(string.Join("\n", lines));
        if (options.Overrides is not null)
            config = config.WithFallback(options.Overrides);
        if (options.ConfigFile is not null)
            config = config.WithFallback(LoadFile(options.ConfigFile));
        config = config.WithFallback(HoconResources.Load("distcache.conf"));

        var settings = DistCacheSettings.From(config);
        // The Redis endpoint rides on the member's roles, so the other nodes can name it in MOVED and CLUSTER SLOTS;
        // only a node that serves Redis (--resp-port) has one, whatever announce-port says.
        if (options.RespPort is not null && RespAnnounce.For(settings.Resp, options.Host, options.RespPort, settings.Tls.OnResp) is { } announce)
        {
            var roles = config.GetStringList("akka.cluster.roles", []).Where(r => !RespAnnounce.IsAnnounceRole(r))
                .Concat(announce.Roles).Select(WireConfig.Quote);
            config = ConfigurationFactory.ParseString($"akka.cluster.roles = [{string.Join(", ", roles)}]").WithFallback(config);
        }
        // On top of everything: a user's file cannot leave the port plain once a certificate is given.
        if (settings.Tls.OnCluster)
            config = AkkaTls.Hocon.WithFallback(config);
        if (settings.Http.Token is not null && options.HttpPort is null && !settings.Discovery.Enabled)
            throw new ConfigurationException($"{HttpSettings.TokenFileSetting} (--http-token-file) is set but neither --http-port nor --discovery is: there is no HTTP port or management endpoint to protect");
        CheckDiscovery(options, settings);
        config = DiscoveryConfig.Build(settings.Discovery, options.Host).WithFallback(config);
        config = config
            .WithFallback(StoreConfig.Build(settings))
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration)
            .WithFallback(HoconResources.NodeWire(settings.Limits.MaxValueBytes))
            .WithFallback(DiscoveryConfig.Defaults(settings.Discovery));
        return (config, settings);
    }

    /// <summary>The seed nodes' addresses; with no --seed, this node alone forms a new cluster. Under TLS
    /// (<paramref name="tls"/>) the scheme is akka.ssl.tcp: an akka.tcp address never reaches a TLS node.</summary>
    public static IReadOnlyList<Akka.Actor.Address> SeedAddresses(NodeOptions options, bool tls)
    {
        var seeds = options.Seeds.Count > 0 ? options.Seeds : [$"{options.Host}:{options.Port}"];
        return seeds.Select(seed => TryParseHostPort(seed, out var host, out var port)
                ? new Akka.Actor.Address(AkkaTls.Scheme(tls), SystemName, host, port)
                : throw new ConfigurationException($"--seed '{seed}' is not host:port"))
            .ToArray();
    }

    // Seeds and discovery would be two answers to one question; the management port shares --host with the others.
    private static void CheckDiscovery(NodeOptions options, DistCacheSettings settings)
    {
        var discovery = settings.Discovery;
        if (!discovery.Enabled)
            return;
        if (options.Seeds.Count > 0)
            throw new ConfigurationException(
                $"--seed cannot be combined with {DiscoverySettings.MethodSetting} (--discovery) = {discovery.Method.ToString().ToLowerInvariant()}: " +
                "discovery finds the other nodes; drop --seed or use --discovery none");
        if (discovery.ManagementPort == options.Port || discovery.ManagementPort == options.HttpPort || discovery.ManagementPort == options.RespPort)
            throw new ConfigurationException(
                $"{DiscoverySettings.ManagementPortSetting} (--management-port) {discovery.ManagementPort} is already this node's --port, --http-port or --resp-port");
    }

    public static bool TryParseHostPort(string value, out string host, out int port) => NodeAddress.TryParseHostPort(value, out host, out port);

    private static Config LoadFile(string path)
    {
        if (!File.Exists(path))
            throw new ConfigurationException($"--config {path}: file not found");
        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(path));
        }
        catch (Exception ex)
        {
            throw new ConfigurationException($"--config {path}: not valid HOCON ({ex.Message})");
        }
    }
}
