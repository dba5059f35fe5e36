using DistCache.Wire;
using System.Text;
using Akka.Actor;
using DistCache.Actors.Gateway;
using DistCache.Protocol;
using DistCache.Tests.Support;

namespace DistCache.Tests.Gateway;

/// <summary>The request path of a node's own front ends: straight to a partition that serves on the node,
/// through the region when it does not (or its entry is stale), through the gateway for cluster-wide
/// commands; validated before anything is sent.</summary>
[Collection(NodeCollection.Name)]
public sealed class NodeRequestsTests(NodeFixture node)
{
    private static CacheValue Text(string s) => new(ValueKind.String, Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task Keyed_commands_reach_their_local_partition_and_cluster_wide_ones_the_gateway()
    {
        await node.Node.Recovery.WhenAllRecovered.WaitAsync(TimeSpan.FromSeconds(60));
        using var sink = node.Node.Requests.Open();
        const string key = "node-requests:one";
        Assert.NotNull(node.Node.LocalPartitions.Find(KeyHasher.PartitionOf(key, node.Node.Settings.Partitions)));

        Assert.Equal(Stored.Instance, await sink.ExecuteAsync(new SetValue(key, Text("v1"))));
        Assert.Equal("v1", Encoding.UTF8.GetString(Assert.IsType<Found>(await sink.ExecuteAsync(new GetValue(key))).Value!.Data));
        Assert.True(Assert.IsType<CounterValue>(await sink.ExecuteAsync(CountKeys.Instance)).Value >= 1);
        Assert.Equal(0, sink.InFlight);
    }

    [Fact]
    public async Task An_invalid_command_is_rejected_before_it_is_sent()
    {
        using var sink = node.Node.Requests.Open();
        var rejected = Assert.IsType<Rejected>(await sink.ExecuteAsync(new GetValue("")));
        Assert.Equal(CacheErrorCode.InvalidKey, rejected.Code);
        Assert.Equal(0, sink.InFlight);
    }

    [Fact]
    public async Task A_stale_entry_costs_a_retry_through_the_region_never_an_error()
    {
        await node.Node.Recovery.WhenAllRecovered.WaitAsync(TimeSpan.FromSeconds(60));
        const string key = "node-requests:stale";
        var partition = KeyHasher.PartitionOf(key, node.Node.Settings.Partitions);
        var live = node.Node.LocalPartitions.Find(partition)!;
        // A partition that stopped: its entry still names it for a moment.
        var gone = node.Node.System.ActorOf(Props.Empty);
        await gone.GracefulStop(TimeSpan.FromSeconds(5));
        node.Node.LocalPartitions.Serving(partition, gone);
        try
        {
            using var sink = node.Node.Requests.Open();
            Assert.Equal(Stored.Instance, await sink.ExecuteAsync(new SetValue(key, Text("after a retry"))));
            Assert.Equal("after a retry", Encoding.UTF8.GetString(Assert.IsType<Found>(await sink.ExecuteAsync(new GetValue(key))).Value!.Data));
        }
        finally
        {
            node.Node.LocalPartitions.Serving(partition, live);
        }
    }
}
