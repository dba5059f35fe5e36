using DistCache.Actors.Monitoring;
using DistCache.Host.Bench;
using Prometheus;

namespace DistCache.Tests.Host;

/// <summary>bench reads a node's journal counters from its Prometheus text, as NodeMetrics writes it.</summary>
public sealed class NodeProbeTests
{
    [Fact]
    public async Task The_counters_read_back_from_a_scrape_are_the_ones_the_node_counted()
    {
        var metrics = new NodeMetrics();
        metrics.JournalWrite(System.Diagnostics.Stopwatch.GetTimestamp(), writes: 3);
        metrics.JournalWrite(System.Diagnostics.Stopwatch.GetTimestamp(), writes: 1);
        metrics.JournalCommit();
        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text);

        var read = NodeProbe.Parse(System.Text.Encoding.UTF8.GetString(text.ToArray()));

        Assert.Equal(2, read.Events);
        Assert.Equal(4, read.CarriedWrites);
        Assert.Equal(1, read.Commits);
        Assert.True(read.Cpu > TimeSpan.Zero);
    }

    [Fact]
    public void Costs_divide_by_the_operations_and_the_seconds()
    {
        var cost = OperationCost.From(new JournalCounters(Events: 100, CarriedWrites: 150, Commits: 10, TimeSpan.FromMilliseconds(30)),
            TimeSpan.FromMilliseconds(15), operations: 150, seconds: 2);
        Assert.Equal(200, cost.NodeCpuUsPerOp, 3);
        Assert.Equal(100, cost.ClientCpuUsPerOp, 3);
        Assert.Equal(50, cost.JournalRowsPerSecond, 3);
        Assert.Equal(1.5, cost.WritesPerRow, 3);
        Assert.Equal(10, cost.RowsPerCommit, 3);
    }
}
