using System.Diagnostics.Metrics;
using DistCache.Telemetry;

namespace DistCache.Actors.Monitoring;

/// <summary>The node's /metrics as OpenTelemetry instruments on a Meter named <see cref="DistCacheTelemetry.NodeSource"/>,
/// one Meter per node (several nodes can share a process in tests). Counters and gauges are observed from the
/// Prometheus series when a reader collects, so they cost the request path nothing; the two duration
/// histograms are recorded as they happen, and only while a listener has enabled them.</summary>
public sealed partial class NodeMetrics : IDisposable
{
    private Meter _meter = null!;
    private Histogram<double> _otelOperationSeconds = null!;
    private Histogram<double> _otelJournalSeconds = null!;

    /// <summary>The node's Meter (disposed with the node).</summary>
    public Meter Meter => _meter;

    private void CreateInstruments()
    {
        _meter = new Meter(DistCacheTelemetry.NodeSource, typeof(NodeMetrics).Assembly.GetName().Version?.ToString());
        var m = _meter;
        _otelOperationSeconds = m.CreateHistogram<double>("distcache.operation.duration", "s", "Time from a partition receiving an operation to its reply.");
        _otelJournalSeconds = m.CreateHistogram<double>("distcache.journal.write.duration", "s", "Time for a journal write to be confirmed.");
        m.CreateObservableCounter("distcache.operations", ObserveOperations, "{operation}", "Operations answered by this node's partitions, by type.");
        m.CreateObservableCounter("distcache.journal.writes", () => (long)_journalWrites.Value, "{event}", "Events written to the journal.");
        m.CreateObservableCounter("distcache.journal.carried_writes", () => (long)_journalCarried.Value, "{write}",
            "Client writes carried by those events.");
        m.CreateObservableCounter("distcache.journal.commits", () => (long)_journalCommits.Value, "{transaction}",
            "Transactions committed by the node's SQL persistence plugins (SQLite only).");
        m.CreateObservableCounter("distcache.gateway.requests", () => PathCounts(_gatewayLocal, _gatewayForwarded), "{request}",
            "Keyed requests the gateway routed, by path (local, forwarded).");
        m.CreateObservableCounter("distcache.resp.requests", () => PathCounts(_respLocal, _respForwarded), "{request}",
            "Keyed requests of Redis connections, by path (local, forwarded).");
        m.CreateObservableCounter("distcache.resp.auth_failures", () => (long)_respAuthFailures.Value, "{failure}",
            "Failed AUTH and HELLO ... AUTH on the Redis endpoint.");
        m.CreateObservableGauge("distcache.keys", () => Keys, "{key}", "Keys held by the partitions on this node.");
        m.CreateObservableGauge("distcache.bytes", () => Bytes, "By", "Estimated bytes of keys and values held on this node.");
        m.CreateObservableGauge("distcache.evictions", () => _partitions.Values.Sum(p => p.Evictions), "{key}",
            "Keys evicted by the partitions now on this node, since their data was created.");
        m.CreateObservableGauge("distcache.partitions", () => Partitions, "{partition}", "Partitions running on this node.");
        m.CreateObservableGauge("distcache.connected_clients", () => ConnectedClients(), "{client}", "Clients that sent a heartbeat to this node recently.");
        m.CreateObservableGauge("distcache.journal.rows_since_snapshot", () => _partitions.Values.Sum(p => p.JournalRows), "{event}",
            "Journal events the partitions on this node would replay on recovery, summed.");
        m.CreateObservableGauge("distcache.journal.rows_since_snapshot.max", () => _partitions.Values.Select(p => p.JournalRows).DefaultIfEmpty().Max(), "{event}",
            "The most journal events one partition on this node would replay on recovery.");
        m.CreateObservableCounter("distcache.process.cpu.time", () => Environment.CpuUsage.TotalTime.TotalSeconds, "s",
            "CPU time the node's process has used, user and system.");
        m.CreateObservableCounter("distcache.partition.runs", ObserveRuns, "{run}",
            "Times a partition's mailbox was run, by thread (caller: a Redis connection's read loop; pool).");
    }

    private IEnumerable<Measurement<long>> ObserveOperations()
    {
        foreach (var (op, series) in _operationSeries)
            yield return new Measurement<long>((long)series.Count.Value, new KeyValuePair<string, object?>(DistCacheTelemetry.OperationAttribute, op));
    }

    private static Measurement<long>[] PathCounts(Prometheus.Counter.Child local, Prometheus.Counter.Child forwarded) =>
    [
        new((long)local.Value, new KeyValuePair<string, object?>("path", "local")),
        new((long)forwarded.Value, new KeyValuePair<string, object?>("path", "forwarded")),
    ];

    private Measurement<long>[] ObserveRuns()
    {
        var (caller, pool) = PartitionRuns();
        return
        [
            new(caller, new KeyValuePair<string, object?>("thread", "caller")),
            new(pool, new KeyValuePair<string, object?>("thread", "pool")),
        ];
    }

    // Enabled is a field read: with no listener, an operation pays that and nothing else.
    private void RecordOperation(string op, double seconds)
    {
        if (_otelOperationSeconds.Enabled)
            _otelOperationSeconds.Record(seconds, new KeyValuePair<string, object?>(DistCacheTelemetry.OperationAttribute, op));
    }

    private void RecordJournalWrite(double seconds)
    {
        if (_otelJournalSeconds.Enabled)
            _otelJournalSeconds.Record(seconds);
    }

    public void Dispose() => _meter.Dispose();
}
