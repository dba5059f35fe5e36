using System.Globalization;
using DistCache.Actors.Monitoring;

namespace DistCache.Host.Bench;

/// <summary>Reads the benched node's journal counters and CPU time, so `bench` can say what each operation
/// cost the node: from the throwaway node's own metrics, or from a node's Prometheus endpoint
/// (`--metrics URL`). Without either, bench reports only what the client sees.</summary>
public sealed class NodeProbe(Func<CancellationToken, Task<JournalCounters>> read)
{
    public Task<JournalCounters> ReadAsync(CancellationToken cancellation) => read(cancellation);

    public static NodeProbe Of(NodeMetrics metrics) => new(_ => Task.FromResult(metrics.Journal));

    public static NodeProbe Scraping(Uri metricsUrl)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return new NodeProbe(async cancellation => Parse(await http.GetStringAsync(metricsUrl, cancellation)));
    }

    /// <summary>The counters from Prometheus's text format (the lines without labels that NodeMetrics writes).</summary>
    public static JournalCounters Parse(string exposition)
    {
        var values = new Dictionary<string, double>();
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#'))
                continue;
            var space = line.IndexOf(' ');
            if (space > 0 && double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                values[line[..space]] = value;
        }
        long Count(string name) => (long)values.GetValueOrDefault(name);
        return new JournalCounters(Count("distcache_journal_writes_total"), Count("distcache_journal_carried_writes_total"),
            Count("distcache_journal_commits_total"), TimeSpan.FromSeconds(values.GetValueOrDefault("distcache_process_cpu_seconds")));
    }
}
