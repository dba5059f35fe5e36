using DistCache.Wire;
using Akka.Configuration;
using DistCache.Actors.Notifications;
using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Actors.Cluster.Discovery;

namespace DistCache.Actors.Cluster;

/// <summary>The <c>distcache { … }</c> section, read and validated once at start-up. Every error names
/// the setting, so a bad configuration stops the host with a message that says what to fix.</summary>
public sealed record DistCacheSettings(
    int Partitions,
    int Shards,
    PartitionLimits Limits,
    int SnapshotEvery,
    int RequestWindow,
    long MaxMemoryBytes,
    EvictionPolicy Eviction,
    JournalKind Journal,
    string DataDir,
    string ConnectionString,
    TimeSpan RequestTimeout,
    TimeSpan ClientTimeout,
    DurabilityMode Durability,
    TimeSpan Lease,
    TimeSpan MaxClockSkew,
    TimeSpan SnapshotInterval,
    RespSettings Resp)
{
    public PartitionSettings PartitionSettings => new(Limits, SnapshotEvery, RequestWindow, MaxMemoryBytes, Eviction, Durability: Durability,
        MaxClockSkew: MaxClockSkew, SnapshotInterval: SnapshotInterval);

    /// <summary>Access to the HTTP port; open unless <c>distcache.http.token-file</c> is set.</summary>
    public HttpSettings Http { get; init; } = HttpSettings.Open;

    /// <summary>Formation by Cluster Bootstrap (distcache.discovery); method none by default.</summary>
    public DiscoverySettings Discovery { get; init; } = DiscoverySettings.None;

    /// <summary>TLS on the cluster, Redis and HTTP ports; off unless <c>distcache.tls.cert</c> is set.</summary>
    public TlsSettings Tls { get; init; } = TlsSettings.Off;

    /// <summary>Redis keyspace notifications (<c>distcache.notify-keyspace-events</c>); none by default.</summary>
    public KeyspaceEventClasses KeyspaceEvents { get; init; }

    public const string KeyspaceEventsKey = "distcache.notify-keyspace-events";

    public static DistCacheSettings From(Config config)
    {
        var section = config.GetConfig("distcache")
            ?? throw new ConfigurationException("The distcache { } configuration section is missing");

        var partitions = Positive(section, "partitions", 1, KeySlot.Count); // every partition owns at least one slot
        var shards = Positive(section, "shards", 1, 65536);
        if (shards > partitions)
            throw new ConfigurationException($"distcache.shards ({shards}) must not exceed distcache.partitions ({partitions})");

        var discovery = DiscoverySettings.From(section);

        var journalName = section.GetString("journal", "sqlite");
        var journal = journalName.ToLowerInvariant() switch
        {
            "sqlite" => JournalKind.Sqlite,
            "postgres" or "postgresql" => JournalKind.Postgres,
            _ => throw new ConfigurationException($"distcache.journal = '{journalName}' is not one of: sqlite, postgres"),
        };

        var dataDir = Path.GetFullPath(section.GetString("data-dir", "./data"));
        var connection = JournalConnectionString.From(section, journal, dataDir);

        var memoryRaw = section.GetString("max-memory", "0");
        if (!long.TryParse(memoryRaw, out var maxMemory) || maxMemory < 0)
            throw new ConfigurationException($"distcache.max-memory = '{memoryRaw}' must be a number of bytes (0: no limit)");
        var policyName = section.GetString("eviction-policy", "noeviction");
        var eviction = policyName.ToLowerInvariant() switch
        {
            "noeviction" => EvictionPolicy.NoEviction,
            "allkeys-lru" => EvictionPolicy.AllKeysLru,
            "volatile-ttl" => EvictionPolicy.VolatileTtl,
            _ => throw new ConfigurationException($"distcache.eviction-policy = '{policyName}' is not one of: noeviction, allkeys-lru, volatile-ttl"),
        };

        var durabilityName = section.GetString("durability", "always");
        var durability = DurabilityModes.Parse(durabilityName)
            ?? throw new ConfigurationException($"distcache.durability = '{durabilityName}' is not one of: {DurabilityModes.Names}");

        var timeout = section.GetTimeSpan("request-timeout", TimeSpan.FromSeconds(5));
        if (timeout <= TimeSpan.Zero)
            throw new ConfigurationException("distcache.request-timeout must be positive");

        return new DistCacheSettings(
            partitions,
            shards,
            new PartitionLimits(
                Positive(section, "max-key-bytes", 1, 64 * 1024),
                Positive(section, "max-value-bytes", 1, 512 * 1024 * 1024),
                section.HasPath("max-collection-elements")
                    ? Positive(section, "max-collection-elements", 1, int.MaxValue)
                    : PartitionLimits.DefaultMaxCollectionElements),
            Positive(section, "snapshot-every", 1, int.MaxValue),
            Positive(section, "request-window", 1, 1_000_000),
            maxMemory,
            eviction,
            journal,
            dataDir,
            connection,
            timeout,
            ClientTimeoutOf(section),
            durability,
            LeaseOf(section),
            NonNegative(section, "max-clock-skew"),
            PositiveTime(section, "snapshot-interval"),
            RespSettings.From(config))
        {
            Http = HttpSettings.From(section, keepTokenToSend: discovery.Enabled),
            Discovery = discovery,
            Tls = TlsSettings.From(section),
            KeyspaceEvents = KeyspaceEventsOf(section),
        };
    }

    private static KeyspaceEventClasses KeyspaceEventsOf(Config section)
    {
        var raw = section.GetString("notify-keyspace-events", "");
        return KeyspaceEventFlags.TryParse(raw, out var flags)
            ? flags
            : throw new ConfigurationException(
                $"{KeyspaceEventsKey} = '{raw}' (--notify-keyspace-events): {KeyspaceEventFlags.InvalidCharacter}");
    }

    // A client is shown silent after half the timeout; below three heartbeat intervals that half would be
    // shorter than the gap between two punctual heartbeats plus their jitter, and live clients would flap.
    private static TimeSpan ClientTimeoutOf(Config section)
    {
        var timeout = section.GetTimeSpan("client-timeout", TimeSpan.FromSeconds(10));
        var least = ClientHeartbeat.Interval * 3;
        return timeout >= least
            ? timeout
            : throw new ConfigurationException($"distcache.client-timeout = {timeout.TotalSeconds:0.###}s must be at least {least.TotalSeconds:0}s (clients send a heartbeat every {ClientHeartbeat.Interval.TotalSeconds:0}s)");
    }

    // The lease is renewed every quarter of it; under a second, a busy machine's scheduling delays alone
    // could let it lapse and stop a healthy node.
    private static TimeSpan LeaseOf(Config section)
    {
        var lease = section.GetTimeSpan("lease", null);
        return lease >= TimeSpan.FromSeconds(1)
            ? lease
            : throw new ConfigurationException($"distcache.lease = {lease.TotalSeconds:0.###}s must be at least 1s");
    }

    private static TimeSpan PositiveTime(Config section, string key)
    {
        var value = section.GetTimeSpan(key, null);
        return value > TimeSpan.Zero ? value : throw new ConfigurationException($"distcache.{key} must be positive");
    }

    private static TimeSpan NonNegative(Config section, string key)
    {
        var value = section.GetTimeSpan(key, null);
        return value >= TimeSpan.Zero ? value : throw new ConfigurationException($"distcache.{key} must not be negative");
    }

    private static int Positive(Config section, string key, int min, int max)
    {
        string raw = section.GetString(key, "");
        if (!long.TryParse(raw, out var value) || value < min || value > max)
            throw new ConfigurationException($"distcache.{key} = '{raw}' must be an integer from {min} to {max}");
        return (int)value;
    }
}
