using System.Diagnostics;
using DistCache.Actors.Monitoring;
using Prometheus;

namespace DistCache.Tests.Monitoring;

/// <summary>Operations are counted per type, whether a type's series is made by the first call or found
/// by a later one.</summary>
public sealed class NodeMetricsTests
{
    [Fact]
    public async Task Operations_are_counted_and_timed_per_type()
    {
        var metrics = new NodeMetrics();
        var started = Stopwatch.GetTimestamp();
        metrics.Operation("get", started);
        metrics.Operation("get", started);
        metrics.Operation("set", started);

        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text);
        var lines = System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n');
        Assert.Contains("distcache_operations_total{op=\"get\"} 2", lines);
        Assert.Contains("distcache_operations_total{op=\"set\"} 1", lines);
        Assert.Contains("distcache_operation_duration_seconds_count{op=\"get\"} 2", lines);
        Assert.Equal(3, metrics.TotalOperations);
    }

    [Fact]
    public async Task Registrations_are_counted_per_kind_and_the_process_memory_is_exported()
    {
        var metrics = new NodeMetrics();
        var nearCaches = 2;
        metrics.CountRegistrations("near-cache", () => nearCaches);
        metrics.CountRegistrations("resp", () => 5);
        nearCaches = 1;

        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text);
        var lines = System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n');
        Assert.Contains("distcache_client_registrations{kind=\"near-cache\"} 1", lines);
        Assert.Contains("distcache_client_registrations{kind=\"resp\"} 5", lines);
        Assert.Contains(lines, l => l.StartsWith("dotnet_total_memory_bytes ") && double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains(lines, l => l.StartsWith("process_working_set_bytes ") && double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }
}
