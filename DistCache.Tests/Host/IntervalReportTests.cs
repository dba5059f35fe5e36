using System.Diagnostics;
using System.Text.Json;
using DistCache.Host.Bench;

namespace DistCache.Tests.Host;

/// <summary>`bench --report-every`: each interval reports only what completed or failed in it.</summary>
public sealed class IntervalReportTests
{
    private static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    [Fact]
    public void Each_cut_reports_what_completed_and_failed_since_the_last_one()
    {
        var report = new IntervalReport(workers: 2);
        var start = Stopwatch.GetTimestamp();
        for (var i = 1; i <= 100; i++)
            report.Completed(i % 2, Ms(i));
        report.Failed("DistCacheTimeoutException");
        report.Failed("DistCacheTimeoutException");

        using var first = JsonDocument.Parse(report.Cut("mixed", start + Ms(2000)));
        Assert.Equal(100, first.RootElement.GetProperty("requests").GetInt64());
        Assert.Equal(2, first.RootElement.GetProperty("errors").GetInt64());
        Assert.Equal(2, first.RootElement.GetProperty("error_kinds").GetProperty("DistCacheTimeoutException").GetInt64());
        Assert.Equal(99, first.RootElement.GetProperty("p99_ms").GetDouble(), 1);
        Assert.Equal(50, first.RootElement.GetProperty("p50_ms").GetDouble(), 1);
        Assert.Equal("mixed", first.RootElement.GetProperty("op").GetString());

        report.Completed(0, Ms(7));
        using var second = JsonDocument.Parse(report.Cut("mixed", start + Ms(3000)));
        Assert.Equal(1, second.RootElement.GetProperty("requests").GetInt64());
        Assert.Equal(0, second.RootElement.GetProperty("errors").GetInt64());
        Assert.Equal(7, second.RootElement.GetProperty("p99_ms").GetDouble(), 1);
        Assert.Equal(1, second.RootElement.GetProperty("seconds").GetDouble(), 2);
        Assert.Equal(1, second.RootElement.GetProperty("ops_per_second").GetDouble(), 2);
    }
}
