using System.Globalization;
using DistCache.Actors.Notifications;
using DistCache.Actors.Partitions;

namespace DistCache.Host.Resp;

/// <summary>CONFIG GET, SET, RESETSTAT, REWRITE and HELP (src/config.c, Redis 7) over the settings DistCache
/// has, under Redis's names. All but notify-keyspace-events are fixed once the node runs (a partition's memory
/// policy is given when it starts, on every node): CONFIG SET accepts them set to the value they have, and
/// otherwise answers Redis's error for an immutable parameter. notify-keyspace-events changes on every node
/// (<see cref="KeyspaceNotifier"/>), so events do not depend on which node a key's partition lives on.</summary>
public sealed class RespConfig(IReadOnlyList<KeyValuePair<string, string>> parameters, KeyspaceNotifier? keyspace = null)
{
    private const string KeyspaceEvents = "notify-keyspace-events";
    private readonly KeyspaceNotifier _keyspace = keyspace ?? new KeyspaceNotifier();

    private static readonly string[] Help =
    [
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>", "    notify-keyspace-events (on every node); the others only with the value they have: fixed at start.",
        "RESETSTAT", "    Reset statistics reported by the INFO command.",
        "REWRITE", "    Not supported: the node runs without a Redis config file.",
        "HELP", "    Print this help.",
    ];

    private readonly Dictionary<string, string> _byName = parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>Redis's names for DistCache's settings. maxmemory is the node's own limit (distcache.max-memory,
    /// shared by the partitions it hosts); requirepass is always empty, where Redis would show the password.</summary>
    public static RespConfig For(
        long maxMemory, EvictionPolicy eviction, DurabilityMode durability, string bind, int port, int maxClients, RespLimits limits, string dir,
        KeyspaceNotifier? keyspace = null, int trackingTableMaxKeys = DistCache.Actors.Cluster.RespSettings.DefaultTrackingTableMaxKeys) =>
        new([
            Pair("maxmemory", Int(maxMemory)),
            Pair("maxmemory-policy", PolicyName(eviction)),
            Pair("databases", "1"),
            Pair("save", ""),
            Pair("appendonly", durability == DurabilityMode.None ? "no" : "yes"),
            // Always: acknowledged once journaled; batched: journaled right behind, like everysec's window.
            Pair("appendfsync", durability switch { DurabilityMode.Always => "always", DurabilityMode.Batched => "everysec", _ => "no" }),
            Pair("port", Int(port)),
            Pair("bind", bind),
            Pair("maxclients", Int(maxClients)),
            Pair("timeout", "0"),
            Pair("requirepass", ""),
            Pair("proto-max-bulk-len", Int(limits.MaxBulkBytes)),
            Pair("client-query-buffer-limit", Int(limits.MaxRequestBytes)),
            Pair("protected-mode", "no"),
            Pair("cluster-enabled", "no"),
            Pair(KeyspaceEvents, ""),
            Pair("dir", dir),
            Pair("tracking-table-max-keys", Int(trackingTableMaxKeys)),
        ], keyspace);

    /// <summary>A node with DistCache's defaults on Redis's port (for the mapping tested without a server).</summary>
    public static readonly RespConfig Default = For(
        0, EvictionPolicy.NoEviction, DurabilityMode.Always, "127.0.0.1", 6379, RespServer.MaxConnections, RespLimits.For(512 * 1024 * 1024), "");

    public static string PolicyName(EvictionPolicy policy) => policy switch
    {
        EvictionPolicy.AllKeysLru => "allkeys-lru",
        EvictionPolicy.VolatileTtl => "volatile-ttl",
        _ => "noeviction",
    };

    public string? Value(string name) => name.Equals(KeyspaceEvents, StringComparison.OrdinalIgnoreCase)
        ? KeyspaceEventFlags.Format(_keyspace.Flags)
        : _byName.GetValueOrDefault(name);

    public RespValue Reply(RespArgs args, RespClients clients)
    {
        var sub = args.Text(1).ToUpperInvariant();
        return sub switch
        {
            "GET" when args.Count >= 3 => Get(args),
            "SET" when args.Count >= 4 && args.Count % 2 == 0 => Set(args),
            "RESETSTAT" when args.Count == 2 => ResetStat(clients),
            "REWRITE" when args.Count == 2 => RespValue.Error("ERR The server is running without a config file"),
            "HELP" when args.Count == 2 => new RespArray(Help.Select(line => (RespValue)new RespSimple(line)).ToArray()),
            "GET" or "SET" or "RESETSTAT" or "REWRITE" or "HELP" =>
                RespValue.Error($"ERR wrong number of arguments for 'config|{sub.ToLowerInvariant()}' command"),
            _ => RespValue.Error($"ERR unknown subcommand '{args.Text(1)}'. Try CONFIG HELP."),
        };
    }

    // Every parameter some pattern matches, once each, as a map (a flat array in RESP2); names matched
    // in any case, as Redis 7 does.
    private RespMap Get(RespArgs args)
    {
        var patterns = Enumerable.Range(2, args.Count - 2).Select(i => args.Text(i).ToLowerInvariant()).ToArray();
        return new RespMap(parameters
            .Where(p => patterns.Any(pattern => Glob.Matches(pattern, p.Key)))
            .Select(p => new KeyValuePair<RespValue, RespValue>(RespValue.Bulk(p.Key), RespValue.Bulk(Value(p.Key)!)))
            .ToArray());
    }

    // All or nothing, as Redis 7's multi-parameter CONFIG SET; requirepass is never compared, so its
    // answer does not tell whether a guess was the password.
    private RespValue Set(RespArgs args)
    {
        KeyspaceEventClasses? events = null;
        for (var i = 2; i < args.Count; i += 2)
        {
            var name = args.Text(i);
            if (Value(name) is not { } current)
                return RespValue.Error($"ERR Unknown option or number of arguments for CONFIG SET - '{name}'");
            if (name.Equals(KeyspaceEvents, StringComparison.OrdinalIgnoreCase))
            {
                if (!KeyspaceEventFlags.TryParse(args.Text(i + 1), out var flags))
                    return RespValue.Error($"ERR CONFIG SET failed (possibly related to argument '{name}') - {KeyspaceEventFlags.InvalidCharacter}");
                events = flags;
                continue;
            }
            if (name.Equals("requirepass", StringComparison.OrdinalIgnoreCase) || !current.Equals(args.Text(i + 1), StringComparison.OrdinalIgnoreCase))
                return RespValue.Error($"ERR CONFIG SET failed (possibly related to argument '{name}') - can't set immutable config");
        }
        if (events is { } set)
            _keyspace.Set(set);
        return RespValue.Ok;
    }

    private static RespValue ResetStat(RespClients clients)
    {
        clients.ResetStats();
        return RespValue.Ok;
    }

    private static KeyValuePair<string, string> Pair(string name, string value) => new(name, value);

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
