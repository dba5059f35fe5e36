using System.Net;
using System.Net.Sockets;
using DistCache.Actors.Cluster;

namespace DistCache.Host.Bench;

/// <summary>A one-node cluster that `bench --durability MODE` starts for itself: 127.0.0.1, a free port,
/// SQLite in a temporary folder that is deleted afterwards. It lets one compare the modes without
/// restarting a real node.</summary>
public sealed class ThrowawayNode : IAsyncDisposable
{
    private readonly DistCacheNode _node;
    private readonly string _folder;

    private ThrowawayNode(DistCacheNode node, string folder, int port)
    {
        _node = node;
        _folder = folder;
        Contact = $"127.0.0.1:{port}";
    }

    public string Contact { get; }

    public DistCache.Actors.Monitoring.NodeMetrics Metrics => _node.Metrics;

    public static async Task<ThrowawayNode> StartAsync(string durability)
    {
        var folder = Directory.CreateTempSubdirectory("distcache-bench-").FullName;
        var port = FreePort();
        var node = DistCacheNode.Start(new NodeOptions { Port = port, DataDir = folder, Durability = durability });
        await node.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
        await node.Recovery.WhenAllRecovered.WaitAsync(TimeSpan.FromSeconds(60));
        return new ThrowawayNode(node, folder, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _node.ShutdownAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
