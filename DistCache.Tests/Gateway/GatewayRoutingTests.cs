using System.Text;
using Akka.Actor;
using DistCache.Protocol;
using DistCache.Tests.Support;
using DistCache.Wire;

namespace DistCache.Tests.Gateway;

/// <summary>The gateway sends a keyed request straight to its partition when that partition serves on the
/// node, and through the shard region when it does not.</summary>
[Collection(NodeCollection.Name)]
public sealed class GatewayRoutingTests(NodeFixture node)
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

    [Fact]
    public async Task A_batch_of_one_is_answered_by_its_partition_directly_and_a_larger_batch_through_the_reply_batcher()
    {
        await RecoveredAndWarmAsync();
        var replies = new System.Collections.Concurrent.BlockingCollection<(ClientResponse Response, string From)>();
        var client = node.Node.System.ActorOf(Props.Create(() => new SenderRecorder(replies)));
        try
        {
            node.Node.Gateway.Tell(new ClientRequestBatch([new ClientRequest(10, new GetValue("routing:one"), Guid.Empty)]), client);
            Assert.True(replies.TryTake(out var lone, Wait));
            Assert.Equal(10, lone.Response.CorrelationId);
            Assert.Contains("/system/sharding/partition/", lone.From);

            node.Node.Gateway.Tell(new ClientRequestBatch(
                [new ClientRequest(11, new GetValue("routing:a"), Guid.Empty), new ClientRequest(12, new GetValue("routing:b"), Guid.Empty)]), client);
            var seen = new HashSet<long>();
            while (seen.Count < 2)
            {
                Assert.True(replies.TryTake(out var batched, Wait));
                Assert.StartsWith("/user/gateway/", batched.From);
                seen.Add(batched.Response.CorrelationId);
            }
            Assert.Equal([11L, 12L], seen.Order());
        }
        finally
        {
            node.Node.System.Stop(client);
        }
    }

    [Fact]
    public async Task A_lone_request_runs_an_idle_local_partition_on_the_gateways_thread()
    {
        await RecoveredAndWarmAsync();
        var runs = node.Node.Metrics.PartitionRuns;
        // The partition may be busy with a tick when one arrives; one of a few requests finds it idle.
        var before = runs().Caller;
        for (var i = 0; i < 20 && runs().Caller == before; i++)
            Assert.Null(Assert.IsType<Found>((await AskAsync(100 + i, new GetValue("routing:inline"))).Reply).Value);
        Assert.True(runs().Caller > before, "no lone request ran its partition on the gateway's thread");
    }

    /// <summary>Stands in for a client tunnel: records each reply with the path of the actor that sent it.</summary>
    private sealed class SenderRecorder : ReceiveActor
    {
        public SenderRecorder(System.Collections.Concurrent.BlockingCollection<(ClientResponse, string)> replies)
        {
            Receive<ClientResponse>(response => replies.Add((response, Sender.Path.ToStringWithoutAddress())));
            Receive<ClientResponseBatch>(batch =>
            {
                foreach (var response in batch.Responses)
                    replies.Add((response, Sender.Path.ToStringWithoutAddress()));
            });
        }
    }
}
