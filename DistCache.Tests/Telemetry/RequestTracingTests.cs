using System.Diagnostics;
using System.Diagnostics.Metrics;
using DistCache.Telemetry;
using DistCache.Tests.Support;
using DistCache.Wire;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace DistCache.Tests.Telemetry;

/// <summary>One traced request followed end to end through OpenTelemetry's in-memory exporter: the client's span,
/// the gateway's, the partition's and its journal write's, in one trace and each the child of the one before.
/// Listeners are process-wide, so other tests' requests may be traced meanwhile: only this test's trace is read.</summary>
[Collection(NodeCollection.Name)]
public sealed class RequestTracingTests(NodeFixture node)
{
    private static readonly ActivitySource TestSource = new("DistCache.Tests.Tracing");

    [Fact]
    public async Task A_set_is_traced_from_the_client_through_the_gateway_to_its_partition_and_journal_write()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(TestSource.Name, DistCacheTelemetry.ClientSource, DistCacheTelemetry.NodeSource)
            .AddInMemoryExporter(exported)
            .Build();
        await using var client = node.Connect();

        ActivityTraceId trace;
        using (var root = TestSource.StartActivity("test"))
        {
            trace = root!.TraceId;
            await client.SetAsync("tracing:one", "v");
        }

        Activity[] spans = [];
        await Eventually.TrueAsync(() =>
        {
            lock (exported)
                spans = exported.Where(a => a.TraceId == trace).ToArray();
            return Task.FromResult(spans.Any(s => s.DisplayName == DistCacheTelemetry.JournalSpan) && spans.Any(s => s.DisplayName == DistCacheTelemetry.PartitionSpan));
        }, "the node's spans are exported", TimeSpan.FromSeconds(20));

        // A request without a reply within the retry interval (1 s; a loaded machine) is sent again with the same
        // traceparent: each attempt is a gateway span under the one client span, and a partition span under its attempt.
        var clientSpan = Assert.Single(spans, s => s.DisplayName == DistCacheTelemetry.ClientRequestSpan);
        var gateways = spans.Where(s => s.DisplayName == DistCacheTelemetry.GatewaySpan).ToArray();
        var partitions = spans.Where(s => s.DisplayName == DistCacheTelemetry.PartitionSpan).ToArray();
        var journal = Assert.Single(spans, s => s.DisplayName == DistCacheTelemetry.JournalSpan);
        Assert.NotEmpty(gateways);
        Assert.Equal(ActivityKind.Client, clientSpan.Kind);
        Assert.All(gateways, gateway =>
        {
            Assert.Equal(ActivityKind.Server, gateway.Kind);
            Assert.Equal(clientSpan.SpanId, gateway.ParentSpanId);
        });
        Assert.All(partitions, partition => Assert.Contains(gateways, g => g.SpanId == partition.ParentSpanId));
        Assert.Contains(partitions, p => p.SpanId == journal.ParentSpanId);

        var expectedPartition = KeyHasher.PartitionOf("tracing:one", node.Node.Settings.Partitions);
        var nodeAddress = Akka.Cluster.Cluster.Get(node.Node.System).SelfAddress.ToString();
        foreach (var span in gateways.Concat(partitions).Append(journal))
        {
            Assert.Equal(expectedPartition, span.GetTagItem(DistCacheTelemetry.PartitionAttribute));
            Assert.Equal(nodeAddress, span.GetTagItem(DistCacheTelemetry.NodeAttribute));
        }
        Assert.All(partitions, p => Assert.Equal("SetValue", p.GetTagItem(DistCacheTelemetry.OperationAttribute)));
        Assert.Equal("SetValue", clientSpan.GetTagItem(DistCacheTelemetry.OperationAttribute));
        Assert.Equal(1, journal.GetTagItem(DistCacheTelemetry.WritesAttribute));
    }

    [Fact]
    public async Task The_nodes_metrics_are_instruments_of_its_meter()
    {
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, node.Node.Metrics.Meter))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, value, _, _) => { lock (seen) seen[i.Name] = seen.GetValueOrDefault(i.Name) + value; });
        listener.SetMeasurementEventCallback<double>((i, value, _, _) => { lock (seen) seen[i.Name] = seen.GetValueOrDefault(i.Name) + value; });
        listener.SetMeasurementEventCallback<int>((i, value, _, _) => { lock (seen) seen[i.Name] = seen.GetValueOrDefault(i.Name) + value; });
        listener.Start();
        await using var client = node.Connect();

        await client.SetAsync("tracing:metrics", "v");
        await Eventually.TrueAsync(async () =>
        {
            await client.GetAsync<string>("tracing:metrics");
            lock (seen)
                return seen.ContainsKey("distcache.operation.duration");
        }, "an operation is recorded", TimeSpan.FromSeconds(20));
        listener.RecordObservableInstruments();

        lock (seen)
        {
            Assert.True(seen["distcache.operations"] > 0);
            Assert.True(seen["distcache.gateway.requests"] > 0);
            Assert.True(seen["distcache.partitions"] > 0);
            Assert.Contains("distcache.keys", seen.Keys);
            Assert.Contains("distcache.journal.writes", seen.Keys);
            Assert.Contains("distcache.connected_clients", seen.Keys);
        }
    }
}
