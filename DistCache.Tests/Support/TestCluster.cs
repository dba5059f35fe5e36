using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Client;

namespace DistCache.Tests.Support;

/// <summary>Several in-process nodes on loopback ports sharing one journal, with failure detection and
/// the split brain resolver shortened so crashes resolve in seconds.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    private static readonly Config FastTimings = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        # Terminate() then means a crash; graceful leaves go through CoordinatedShutdown explicitly.
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.cluster {
          failure-detector.heartbeat-interval = 500ms
          failure-detector.acceptable-heartbeat-pause = 3s
          split-brain-resolver.stable-after = 3s
          down-removal-margin = 1s
          sharding.rebalance-interval = 1s
          sharding.handoff-timeout = 10s
        }
        distcache.partitions = 64
        distcache.shards = 16
        """);

    /// <summary>For clusters no test crashes or pauses (shared fixtures): failure detection slow enough that
    /// a test process starved for seconds on two cores never downs a member it only delayed.</summary>
    public static readonly Config SteadyTimings = ConfigurationFactory.ParseString("""
        akka.cluster {
          failure-detector.acceptable-heartbeat-pause = 20s
          split-brain-resolver.stable-after = 10s
        }
        """);

    private readonly TempFolder _folder = new();
    private int _seedPort;
    private readonly Func<string, NodeOptions, NodeOptions> _storage;
    private readonly List<(int Port, DistCacheNode Node)> _nodes = [];

    private readonly Config _overrides;

    private TestCluster(Func<string, NodeOptions, NodeOptions> storage, Config? extra = null)
    {
        _overrides = extra is null ? FastTimings : extra.WithFallback(FastTimings);
        _seedPort = FreePort.Next();
        _storage = storage;
    }

    public IReadOnlyList<(int Port, DistCacheNode Node)> Nodes => _nodes;

    public IEnumerable<DistCacheNode> LiveNodes => _nodes.Select(n => n.Node).Where(n => !n.System.WhenTerminated.IsCompleted);

    /// <summary>Leaves gracefully with every node, keeping the journal for a restart.</summary>
    public async Task StopAllAsync()
    {
        foreach (var node in LiveNodes.ToArray())
            await node.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _nodes.Clear();
    }

    /// <summary>SQLite in a temp folder, shared by every node of the cluster.</summary>
    public static TestCluster OnSqlite(Config? extra = null) => new((folder, options) => options with { DataDir = folder }, extra);

    public static TestCluster OnPostgres(string connectionString) =>
        new((folder, options) => options with { DataDir = folder, Journal = "postgres", ConnectionString = connectionString });

    /// <summary>Starts one more node; <paramref name="adjust"/> changes its options (a Redis port to announce, say).</summary>
    public async Task<DistCacheNode> StartNodeAsync(Func<NodeOptions, NodeOptions>? adjust = null)
    {
        var port = _nodes.Count == 0 ? _seedPort : FreePort.Next();
        if (_nodes.Count == 0 && !PortIsFree(port))
            port = _seedPort = FreePort.Next();
        // Any live member can introduce a new node, so a crashed first seed does not block joins.
        var seeds = _nodes.Where(n => !n.Node.System.WhenTerminated.IsCompleted).Select(n => $"127.0.0.1:{n.Port}").ToArray();
        var options = _storage(_folder.Path, new NodeOptions
        {
            Port = port,
            Seeds = seeds.Length > 0 ? seeds : [$"127.0.0.1:{port}"],
            Overrides = _overrides,
        });
        var node = DistCacheNode.Start(adjust is null ? options : adjust(options));
        _nodes.Add((port, node));
        await node.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    public DistCacheClient Connect(TimeSpan timeout) => new(new DistCacheClientOptions
    {
        ContactPoints = _nodes.Select(n => $"127.0.0.1:{n.Port}").ToArray(),
        RequestTimeout = timeout,
    });

    /// <summary>The node whose region hosts the shard of <paramref name="partition"/>, if any.</summary>
    public async Task<DistCacheNode?> HostOfAsync(int partition)
    {
        var shard = (partition % 16).ToString();
        foreach (var (_, node) in _nodes)
        {
            if (node.System.WhenTerminated.IsCompleted)
                continue;
            var state = await node.Region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
            if (state.Shards.Any(s => s.ShardId == shard))
                return node;
        }
        return null;
    }

    public static async Task<int> ShardCountAsync(DistCacheNode node) =>
        (await node.Region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5))).Shards.Count;

    /// <summary>Stops a node without leaving the cluster, as a crash would: the others only notice that
    /// it stopped answering, and the split brain resolver downs it.</summary>
    private static bool PortIsFree(int port)
    {
        try
        {
            PortGuard.EnsureFree("127.0.0.1", port);
            return true;
        }
        catch (ConfigurationException)
        {
            return false;
        }
    }

    public static Task CrashAsync(DistCacheNode node) => node.System.Terminate();

    // A test is over when its cluster is disposed: the nodes stop as crashed ones do. Graceful leaves cost
    // seconds of hand-offs per test that no assertion reads (the tests of leaving call ShutdownAsync
    // themselves). One after another: three actor systems terminating at once starved the thread pool for
    // seconds, long enough to fail the next test's cluster.
    public async ValueTask DisposeAsync()
    {
        foreach (var node in LiveNodes.ToArray())
            await CrashAsync(node).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
        _folder.Dispose();
    }
}
