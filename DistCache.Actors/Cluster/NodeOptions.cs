using Akka.Configuration;

namespace DistCache.Actors.Cluster;

/// <summary>What the command line (or a test) says about one node. Anything left null comes from
/// <c>--config FILE</c>, then from <c>hocon/distcache.conf</c>.</summary>
public sealed record NodeOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 4053;
    public IReadOnlyList<string> Seeds { get; init; } = [];
    public string? DataDir { get; init; }
    public string? ConfigFile { get; init; }
    public int? Partitions { get; init; }
    public string? Journal { get; init; }
    public string? ConnectionString { get; init; }

    /// <summary>--connection-string-file: a file holding the connection string (distcache.connection-string-file).</summary>
    public string? ConnectionStringFile { get; init; }
    public string? Durability { get; init; }
    public string? RespPasswordFile { get; init; }

    /// <summary>--resp-users: a Redis ACL users file for the Redis endpoint.</summary>
    public string? RespUsersFile { get; init; }

    public string? HttpTokenFile { get; init; }

    /// <summary>--resp-port, when the node serves Redis: the port it announces unless --resp-announce-port says otherwise.</summary>
    public int? RespPort { get; init; }

    /// <summary>--resp-announce-host, --resp-announce-port, --resp-cluster-mode (distcache.resp.*).</summary>
    public string? RespAnnounceHost { get; init; }
    public int? RespAnnouncePort { get; init; }
    public string? RespClusterMode { get; init; }

    /// <summary>--notify-keyspace-events: Redis's event classes (distcache.notify-keyspace-events).</summary>
    public string? NotifyKeyspaceEvents { get; init; }

    /// <summary>--tls-cert, --tls-key, --tls-password-file, --tls-ca: the node's certificate and the cluster CA.</summary>
    public string? TlsCert { get; init; }
    public string? TlsKey { get; init; }
    public string? TlsPasswordFile { get; init; }
    public string? TlsCa { get; init; }

    /// <summary>The --http-port, if the node serves HTTP; a token file without it is refused, since it
    /// would protect nothing.</summary>
    public int? HttpPort { get; init; }

    /// <summary>--discovery, --discovery-service, --discovery-endpoint, --discovery-label-selector, --discovery-namespace,
    /// --management-port, --required-contact-points (distcache.discovery.*): formation by Cluster Bootstrap.</summary>
    public string? Discovery { get; init; }
    public string? DiscoveryService { get; init; }
    public IReadOnlyList<string>? DiscoveryEndpoints { get; init; }
    public string? DiscoveryLabelSelector { get; init; }
    public string? DiscoveryNamespace { get; init; }
    public int? ManagementPort { get; init; }
    public int? RequiredContactPoints { get; init; }

    /// <summary>Extra HOCON with the highest precedence after the options above (tests shorten timings with it).</summary>
    public Config? Overrides { get; init; }
}
