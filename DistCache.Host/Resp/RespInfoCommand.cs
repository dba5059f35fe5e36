using System.Runtime.InteropServices;
using DistCache.Protocol;

namespace DistCache.Host.Resp;

/// <summary>INFO [section ...]: gathers what <see cref="RespInfo"/> formats. Only the keyspace section
/// asks the cluster (a key count over every partition); the others are answered on the spot.</summary>
public sealed class RespInfoCommand(Func<RespNodeInfo> node, RespClients clients, RespConfig config, Func<int>? trackingClients = null)
{
    // Redis's run_id: random per start, so a tool can tell a restart from a long uptime.
    private readonly string _runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];

    public RespPlan Plan(RespArgs args)
    {
        var wanted = RespInfo.Requested(Enumerable.Range(1, args.Count - 1).Select(args.Text));
        if (!wanted.Contains("keyspace"))
            return new Immediate(RespValue.Verbatim(RespInfo.Format(Gather(null), wanted)));
        return new ClusterCall([CountKeys.WithExpiring], replies => RespValue.Verbatim(RespInfo.Format(Gather((KeyCount)replies[0]), wanted)));
    }

    private RespInfoData Gather(KeyCount? keys)
    {
        var info = node();
        var cpu = Environment.CpuUsage;
        var now = Environment.TickCount64;
        return new RespInfoData(
            info.Version, info.NodeAddress, info.Port, info.Uptime, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000,
            $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}", IntPtr.Size * 8,
            Environment.ProcessId, _runId,
            info.ConnectedClients, (int)Number("maxclients"), clients.BlockedClients,
            info.UsedMemoryBytes, Environment.WorkingSet, Number("maxmemory"), config.Value("maxmemory-policy") ?? "noeviction",
            config.Value("appendonly") == "yes", info.Durability,
            clients.ConnectionsReceived, clients.CommandsProcessed, clients.OpsPerSecond(now), clients.RejectedConnections, clients.AbandonedCommands,
            cpu.PrivilegedTime, cpu.UserTime,
            keys)
        {
            ClusterEnabled = info.ClusterEnabled,
            TrackingClients = trackingClients?.Invoke() ?? 0,
        };
    }

    private long Number(string name) => long.TryParse(config.Value(name), out var value) ? value : 0;
}
