using DistCache.Actors.Cluster;
using DistCache.Host.Resp;

namespace DistCache.Tests.Support;

/// <summary>Three in-process nodes, each with two Redis protocol endpoints on free loopback ports:
/// <see cref="Servers"/> in cluster-mode off (standalone: the classes written for a Redis server that
/// forwards every key, whose StackExchange.Redis connections must not turn into cluster clients), and
/// <see cref="ClusterServers"/> in mode auto, announced in the member roles (as --resp-port
/// does), so each node names the others' in CLUSTER SLOTS and MOVED.</summary>
public sealed class RespClusterFixture : IAsyncLifetime
{
    private readonly List<RespServer> _servers = [];
    private readonly List<RespServer> _clusterServers = [];

    public TestCluster Cluster { get; } = TestCluster.OnSqlite(TestCluster.SteadyTimings);

    public IReadOnlyList<RespServer> Servers => _servers;

    public IReadOnlyList<RespServer> ClusterServers => _clusterServers;

    public string Endpoint(int node) => $"127.0.0.1:{_servers[node].Port}";

    public string ClusterEndpoint(int node) => $"127.0.0.1:{_clusterServers[node].Port}";

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            // Picked before the node starts: the port travels in the member's roles, fixed at start-up.
            var announced = FreePort.Next();
            var node = await Cluster.StartNodeAsync(options => options with { RespPort = announced });
            _clusterServers.Add(RespServer.Start(node, "127.0.0.1", announced, RespClusterMode.Auto));
            _servers.Add(RespServer.Start(node, "127.0.0.1", 0, RespClusterMode.Off));
        }
        // Every partition answers once before the tests start (DBSIZE reaches them all).
        await using var client = Cluster.Connect(TimeSpan.FromSeconds(60));
        await client.CountAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Concat(_clusterServers))
            await server.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}

/// <summary>One Redis-protocol cluster for every class that needs one: starting and stopping three nodes
/// cost about 8 s a class. The classes use their own key prefixes; those that flush run their own tests
/// after it, since classes of one collection run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class RespClusterCollection : ICollectionFixture<RespClusterFixture>
{
    public const string Name = "one Redis-protocol cluster";
}
