using System.Text;
using Akka.Actor;
using DistCache.Protocol;
using DistCache.Tests.Support;
using DistCache.Wire;

namespace DistCache.Tests.Gateway;

/// <summary>The gateway sends a keyed request straight to its partition when that partition serves on the
/// node, and through the shard region when it does not.</summary>
public sealed class GatewayRoutingTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static CacheValue Text(string s) => new(ValueKind.String, Encoding.UTF8.GetBytes(s));

    private async Task RecoveredAndWarmAsync()
    {
        await node.Node.Recovery.WhenAllRecovered.WaitAsync(TimeSpan.FromSeconds(60));
        // The node's own warm-up request goes through the gateway once recovered; counted before we measure.
        await Eventually.TrueAsync(() => Task.FromResult(Local + Forwarded >= 1), "the warm-up request was routed", Wait);
    }

    private long Local => node.Node.Metrics.GatewayRequests(local: true);
    private long Forwarded => node.Node.Metrics.GatewayRequests(local: false);

    private Task<ClientResponse> AskAsync(long id, IClientCommand command) =>
        node.Node.Gateway.Ask<ClientResponse>(new ClientRequest(id, command, command is IWriteCommand ? Guid.NewGuid() : Guid.Empty), Wait);

    [Fact]
    public async Task A_request_for_a_partition_serving_here_skips_the_region()
    {
        await RecoveredAndWarmAsync();
        var (local, forwarded) = (Local, Forwarded);

        Assert.Equal(Stored.Instance, (await AskAsync(1, new SetValue("routing:local", Text("here")))).Reply);
        var found = Assert.IsType<Found>((await AskAsync(2, new GetValue("routing:local"))).Reply);

        Assert.Equal("here", Encoding.UTF8.GetString(found.Value!.Data));
        Assert.Equal(local + 2, Local);
        Assert.Equal(forwarded, Forwarded);
    }

    [Fact]
    public async Task A_request_for_a_partition_not_registered_here_goes_through_the_region()
    {
        await RecoveredAndWarmAsync();
        const string key = "routing:unregistered";
        var partition = KeyHasher.PartitionOf(key, node.Node.Settings.Partitions);
        var live = node.Node.LocalPartitions.Find(partition)!;
        node.Node.LocalPartitions.Stopping(partition, live);
        try
        {
            var (local, forwarded) = (Local, Forwarded);
            Assert.Equal(Stored.Instance, (await AskAsync(3, new SetValue(key, Text("via the region")))).Reply);
            Assert.Equal(forwarded + 1, Forwarded);
            Assert.Equal(local, Local);
        }
        finally
        {
            node.Node.LocalPartitions.Serving(partition, live);
        }
    }
}
