using System.Globalization;
using System.Text;
using DistCache.Protocol;

namespace DistCache.Host.Resp;

/// <summary>INFO [section ...] in Redis 7's text (src/server.c genRedisInfoString): <c># Section</c>
/// headers, <c>field:value</c> lines ended by CRLF, a blank line between sections. Section names are
/// matched in any case; <c>default</c>, <c>all</c> and <c>everything</c> name every section DistCache
/// has, and a name it does not have adds nothing (as in Redis).</summary>
public static class RespInfo
{
    /// <summary>DistCache's sections, in Redis's order.</summary>
    public static readonly string[] Sections = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "cluster", "keyspace"];

    /// <summary>The sections INFO's arguments ask for (all of them without arguments).</summary>
    public static IReadOnlySet<string> Requested(IEnumerable<string> names)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var any = false;
        foreach (var raw in names)
        {
            any = true;
            var name = raw.ToLowerInvariant();
            if (name is "default" or "all" or "everything")
                wanted.UnionWith(Sections);
            else
                wanted.Add(name);
        }
        return any ? wanted : Sections.ToHashSet();
    }

    public static string Format(RespInfoData d, IReadOnlySet<string> wanted)
    {
        var text = new StringBuilder();
        foreach (var section in Sections)
        {
            if (!wanted.Contains(section))
                continue;
            if (text.Length > 0)
                text.Append("\r\n");
            text.Append("# ").Append(char.ToUpperInvariant(section[0])).Append(section.AsSpan(1)).Append("\r\n");
            foreach (var (field, value) in Fields(section, d))
                text.Append(field).Append(':').Append(value).Append("\r\n");
        }
        return text.ToString();
    }

    private static IEnumerable<(string, string)> Fields(string section, RespInfoData d) => section switch
    {
        "server" =>
        [
            ("redis_version", RespCommands.CompatibleVersion),
            ("distcache_version", d.Version),
            ("redis_git_sha1", "00000000"),
            ("redis_git_dirty", "0"),
            // cluster: clients that know Redis Cluster ask CLUSTER SLOTS and send each key to its slot's node
            // (distcache.resp.cluster-mode auto or on); standalone: they send every key to any node, which forwards it.
            ("redis_mode", d.ClusterEnabled ? "cluster" : "standalone"),
            ("os", d.Os),
            ("arch_bits", Int(d.ArchBits)),
            ("process_id", Int(d.ProcessId)),
            ("run_id", d.RunId),
            ("tcp_port", Int(d.Port)),
            ("server_time_usec", Int(d.NowUnixMicroseconds)),
            ("uptime_in_seconds", Int((long)d.Uptime.TotalSeconds)),
            ("uptime_in_days", Int((long)d.Uptime.TotalDays)),
            ("executable", ""),
            ("config_file", ""),
        ],
        "clients" =>
        [
            ("connected_clients", Int(d.ConnectedClients)),
            ("maxclients", Int(d.MaxClients)),
            ("blocked_clients", Int(d.BlockedClients)),
            ("tracking_clients", Int(d.TrackingClients)),
        ],
        "memory" =>
        [
            // What the partitions on this node hold (keys and values, DistCache's estimate): the figure the
            // node's maxmemory limits, which is per node.
            ("used_memory", Int(d.UsedMemory)),
            ("used_memory_human", Human(d.UsedMemory)),
            ("used_memory_rss", Int(d.ProcessMemory)),
            ("used_memory_rss_human", Human(d.ProcessMemory)),
            ("maxmemory", Int(d.MaxMemory)),
            ("maxmemory_human", Human(d.MaxMemory)),
            ("maxmemory_policy", d.MaxMemoryPolicy),
            ("mem_allocator", "dotnet"),
        ],
        "persistence" =>
        [
            ("loading", "0"),
            ("async_loading", "0"),
            ("rdb_changes_since_last_save", "0"),
            ("rdb_bgsave_in_progress", "0"),
            ("rdb_last_bgsave_status", "ok"),
            ("aof_enabled", d.AppendOnly ? "1" : "0"),
            ("aof_rewrite_in_progress", "0"),
            ("aof_last_write_status", "ok"),
            ("distcache_durability", d.Durability),
        ],
        "stats" =>
        [
            ("total_connections_received", Int(d.ConnectionsReceived)),
            ("total_commands_processed", Int(d.CommandsProcessed)),
            ("instantaneous_ops_per_sec", Int((long)Math.Round(d.OpsPerSecond))),
            ("rejected_connections", Int(d.RejectedConnections)),
            ("distcache_abandoned_commands", Int(d.AbandonedCommands)),
            ("pubsub_channels", "0"),
            ("pubsub_patterns", "0"),
        ],
        "replication" =>
        [
            ("role", "master"),
            ("connected_slaves", "0"),
        ],
        "cpu" =>
        [
            ("used_cpu_sys", Seconds(d.CpuSystem)),
            ("used_cpu_user", Seconds(d.CpuUser)),
            ("used_cpu_sys_children", "0.000000"),
            ("used_cpu_user_children", "0.000000"),
        ],
        "cluster" =>
        [
            ("cluster_enabled", d.ClusterEnabled ? "1" : "0"),
            ("distcache_node", d.NodeAddress),
        ],
        // Keys of the whole cluster (as DBSIZE counts them) and those with an expiry. avg_ttl would need
        // every partition to sum its TTLs; Redis itself only estimates it from samples, and 0 means unknown.
        "keyspace" => d.Keys is { Keys: > 0 } keys ? [("db0", $"keys={keys.Keys},expires={keys.Expires},avg_ttl=0")] : [],
        _ => [],
    };

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture);

    /// <summary>Redis's bytesToHuman: B, then K, M, G, T, P with two decimals.</summary>
    public static string Human(long bytes)
    {
        string[] units = ["K", "M", "G", "T", "P"];
        if (bytes < 1024)
            return Int(bytes) + "B";
        var value = (double)bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("0.00", CultureInfo.InvariantCulture) + units[unit];
    }
}

/// <summary>What INFO reports, gathered at one moment (see <see cref="RespInfo"/>). <see cref="Keys"/> (the
/// cluster's keys and how many expire) is null when no section that needs it was asked for (so INFO without keyspace asks the cluster nothing).</summary>
public sealed record RespInfoData(
    string Version, string NodeAddress, int Port, TimeSpan Uptime, long NowUnixMicroseconds, string Os, int ArchBits, int ProcessId, string RunId,
    int ConnectedClients, int MaxClients, long BlockedClients,
    long UsedMemory, long ProcessMemory, long MaxMemory, string MaxMemoryPolicy,
    bool AppendOnly, string Durability,
    long ConnectionsReceived, long CommandsProcessed, double OpsPerSecond, long RejectedConnections, long AbandonedCommands,
    TimeSpan CpuSystem, TimeSpan CpuUser,
    KeyCount? Keys)
{
    /// <summary>distcache.resp.cluster-mode is auto or on: the node speaks Redis Cluster.</summary>
    public bool ClusterEnabled { get; init; }

    /// <summary>Connections with CLIENT TRACKING on, on this port.</summary>
    public int TrackingClients { get; init; }
}
