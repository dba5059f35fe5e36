using Akka.Actor;
using DistCache.Actors.Cluster;
using DistCache.Client;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>The client sends each keyed request to the node that owns its partition, whose gateway hands it
/// to the partition in one hop; a stale owner table costs a forward or a retry, never an error.</summary>
public sealed class RoutingClusterTests
{
    private const int Partitions = 64;

    private static DistCacheClient Connect(TestCluster cluster, TimeSpan retryInterval, TimeSpan? ownerPoll = null) => new(new DistCacheClientOptions
    {
        ContactPoints = cluster.Nodes.Select(n => $"127.0.0.1:{n.Port}").ToArray(),
        RequestTimeout = TimeSpan.FromSeconds(30),
        RetryInterval = retryInterval,
        OwnerRefreshInterval = ownerPoll ?? OwnerMap.RefreshInterval,
    });

    private static string GatewayOf(DistCacheNode node) =>
        (new RootActorPath(Akka.Cluster.Cluster.Get(node.System).SelfAddress) / "user" / "gateway").ToString();

    private static async Task<bool> OwnersMatchAsync(TestCluster cluster, DistCacheClient client)
    {
        for (var p = 0; p < Partitions; p++)
        {
            var host = await cluster.HostOfAsync(p);
            if (host is null || client.Owners.OwnerOf(p) != GatewayOf(host))
                return false;
        }
        return true;
    }

    private static async Task BalancedAndKnownAsync(TestCluster cluster, DistCacheClient client, int nodes)
    {
        await Eventually.TrueAsync(async () =>
        {
            var status = await client.StatusAsync();
            return status.Balanced && status.Nodes.Count(n => n.Status == "Up") == nodes
                && cluster.LiveNodes.Sum(n => n.Recovery.RecoveredPartitions) == Partitions;
        }, "the cluster is balanced and recovered", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => await OwnersMatchAsync(cluster, client) && await client.OwnerGatewaysAsync() == nodes,
            "the client knows every partition's owner and reaches each owner's gateway", TimeSpan.FromSeconds(30));
    }

    private static (long Local, long Forwarded) Routed(TestCluster cluster) => (
        cluster.LiveNodes.Sum(n => n.Metrics.GatewayRequests(local: true)),
        cluster.LiveNodes.Sum(n => n.Metrics.GatewayRequests(local: false)));

    [Fact]
    public async Task Once_the_client_knows_the_owners_every_keyed_request_is_served_on_the_local_path()
    {
        await using var cluster = TestCluster.OnSqlite();
        for (var i = 0; i < 3; i++)
            await cluster.StartNodeAsync();
        // A long retry interval: a retry goes through the ClusterClient and would blur what is measured.
        await using var client = Connect(cluster, TimeSpan.FromSeconds(20));
        await BalancedAndKnownAsync(cluster, client, 3);

        var before = Routed(cluster);
        const int keys = 300;
        for (var i = 0; i < keys; i++)
            await client.SetAsync("route:" + i, (long)i);
        // Concurrent reads leave the client in batches, one per owner.
        var values = await Task.WhenAll(Enumerable.Range(0, keys).Select(i => client.GetAsync<long>("route:" + i)));
        var after = Routed(cluster);

        Assert.Equal(Enumerable.Range(0, keys).Select(i => (long)i).ToArray(), values);
        Assert.Equal(before.Forwarded, after.Forwarded);
        Assert.Equal(2 * keys, after.Local - before.Local);
    }

    [Fact]
    public async Task After_a_node_leaves_requests_by_the_old_owner_table_still_succeed()
    {
        await using var cluster = TestCluster.OnSqlite();
        for (var i = 0; i < 3; i++)
            await cluster.StartNodeAsync();
        await using var client = Connect(cluster, new DistCacheClientOptions().RetryInterval);
        await BalancedAndKnownAsync(cluster, client, 3);

        const int keys = 200;
        for (var i = 0; i < keys; i++)
            await client.SetAsync("moved:" + i, (long)i);
        var leaving = cluster.Nodes[2].Node;
        var leavingGateway = GatewayOf(leaving);
        Assert.Contains(leavingGateway, client.Owners.Gateways);

        await leaving.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));

        // The client's table still names the node that left: its requests cost a retry, never an error.
        var reads = await Task.WhenAll(Enumerable.Range(0, keys).Select(i => client.GetAsync<long>("moved:" + i)));
        Assert.Equal(Enumerable.Range(0, keys).Select(i => (long)i).ToArray(), reads);
        for (var i = 0; i < keys; i++)
            Assert.Equal(i + 1, await client.IncrementAsync("moved:" + i));

        await Eventually.TrueAsync(() => Task.FromResult(!client.Owners.Gateways.Contains(leavingGateway)),
            "the client's table drops the node that left", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task After_a_node_joins_the_client_learns_the_new_owners_from_its_first_misses_not_a_poll()
    {
        await using var cluster = TestCluster.OnSqlite();
        for (var i = 0; i < 2; i++)
            await cluster.StartNodeAsync();
        // Polled once, at start: whatever the client learns after that, it learns from a node it reached.
        await using var client = Connect(cluster, TimeSpan.FromSeconds(20), ownerPoll: TimeSpan.FromHours(1));
        var keyOf = Enumerable.Range(0, Partitions)
            .Select(p => Enumerable.Range(0, 100_000).Select(i => "join:" + i).First(k => DistCache.Wire.KeyHasher.PartitionOf(k, Partitions) == p))
            .ToArray();
        async Task TouchEveryPartitionAsync()
        {
            foreach (var key in keyOf)
                await client.IncrementAsync(key);
        }
        await Eventually.TrueAsync(async () =>
        {
            await TouchEveryPartitionAsync();
            return await OwnersMatchAsync(cluster, client);
        }, "the client learns the two nodes' partitions from its misses", TimeSpan.FromSeconds(60));

        await cluster.StartNodeAsync();
        await Eventually.TrueAsync(async () =>
        {
            var status = await client.StatusAsync();
            return status.Balanced && status.Nodes.Count(n => n.Status == "Up") == 3
                && cluster.LiveNodes.Sum(n => n.Recovery.RecoveredPartitions) == Partitions;
        }, "the third node took its share", TimeSpan.FromSeconds(60));
        var stale = Routed(cluster);
        await Eventually.TrueAsync(async () =>
        {
            await TouchEveryPartitionAsync();
            return await OwnersMatchAsync(cluster, client);
        }, "the client learns the moved partitions' owner from its misses", TimeSpan.FromSeconds(30));
        var before = Routed(cluster);
        Assert.True(before.Forwarded > stale.Forwarded, "the table named the old owners: requests to moved partitions were forwarded");
        await TouchEveryPartitionAsync();
        Assert.Equal(before.Forwarded, Routed(cluster).Forwarded);
    }
}
