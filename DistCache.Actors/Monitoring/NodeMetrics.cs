using System.Collections.Concurrent;
using System.Diagnostics;
using Prometheus;

namespace DistCache.Actors.Monitoring;

/// <summary>One node's metrics, in a Prometheus registry of its own (several nodes can share a process
/// in tests). Counters and histograms are updated by the partitions as they work; keys, bytes and
/// evictions are reported by each partition once a second and summed when Prometheus scrapes.</summary>
public sealed partial class NodeMetrics
{
    private readonly ConcurrentDictionary<string, PartitionStats> _partitions = new();
    private readonly ConcurrentDictionary<string, Func<int>> _registrations = new();
    private readonly Counter _operations;
    private readonly Histogram _operationSeconds;
    private readonly Counter _journalWrites;
    private readonly Counter _journalCarried;
    private readonly Counter _journalCommits;
    private readonly Histogram _journalSeconds;
    private readonly Counter _gatewayRequests;
    private readonly Counter.Child _gatewayLocal;
    private readonly Counter.Child _gatewayForwarded;
    private readonly Counter _respAuthFailures;
    private readonly Counter.Child _respLocal;
    private readonly Counter.Child _respForwarded;
    private long _totalOperations;

    public NodeMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        // The process's memory, GC and thread figures (process_working_set_bytes, dotnet_total_memory_bytes, …), which a
        // custom registry lacks: a soak run watches them for growth.
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        var buckets = Histogram.ExponentialBuckets(0.0001, 2, 16); // 0.1 ms … 3.3 s
        _operations = factory.CreateCounter("distcache_operations_total", "Operations answered by this node's partitions, by type.", "op");
        _operationSeconds = factory.CreateHistogram("distcache_operation_duration_seconds", "Time from a partition receiving an operation to its reply.",
            new HistogramConfiguration { LabelNames = ["op"], Buckets = buckets });
        _journalWrites = factory.CreateCounter("distcache_journal_writes_total", "Events written to the journal.");
        _journalCarried = factory.CreateCounter("distcache_journal_carried_writes_total",
            "Client writes carried by those events (a partition puts the writes that arrive during a journal write in one event).");
        _journalCommits = factory.CreateCounter("distcache_journal_commits_total",
            "Transactions committed by the node's SQL persistence plugins (SQLite only; PostgreSQL is not counted).");
        _journalSeconds = factory.CreateHistogram("distcache_journal_write_duration_seconds", "Time for a journal write to be confirmed.",
            new HistogramConfiguration { Buckets = buckets });
        _gatewayRequests = factory.CreateCounter("distcache_gateway_requests_total",
            "Keyed requests the gateway routed: path=local went straight to a partition on this node, path=forwarded through the shard region.",
            "path");
        _respAuthFailures = factory.CreateCounter("distcache_resp_auth_failures_total",
            "Failed AUTH and HELLO ... AUTH on the Redis endpoint (wrong password or unknown user).");
        var resp = factory.CreateCounter("distcache_resp_requests_total",
            "Keyed requests of Redis connections: path=local served by a partition on this node, path=forwarded sent to its owner through the shard region.",
            "path");
        (_respLocal, _respForwarded) = (resp.WithLabels("local"), resp.WithLabels("forwarded"));
        _gatewayLocal = _gatewayRequests.WithLabels("local");
        _gatewayForwarded = _gatewayRequests.WithLabels("forwarded");
        var keys = factory.CreateGauge("distcache_keys", "Keys held by the partitions on this node.");
        var bytes = factory.CreateGauge("distcache_bytes", "Estimated bytes of keys and values held on this node.");
        var evictions = factory.CreateGauge("distcache_evictions", "Keys evicted by the partitions now on this node, since their data was created.");
        var partitions = factory.CreateGauge("distcache_partitions", "Partitions running on this node.");
        var clients = factory.CreateGauge("distcache_connected_clients", "Clients that sent a heartbeat to this node recently.");
        var registrations = factory.CreateGauge("distcache_client_registrations",
            "What this node keeps per client, by kind: heartbeat (.NET clients it remembers, silent ones included), near-cache (near caches " +
            "pinging its relay), pubsub (.NET clients' subscription leases), resp (open Redis connections). Should follow the clients, not grow.",
            "kind");
        var rows = factory.CreateGauge("distcache_journal_rows_since_snapshot", "Journal events the partitions on this node would replay on recovery, summed.");
        var rowsMax = factory.CreateGauge("distcache_journal_rows_since_snapshot_max", "The most journal events one partition on this node would replay on recovery.");
        var cpu = factory.CreateGauge("distcache_process_cpu_seconds", "CPU time the node's process has used, user and system.");
        var runs = factory.CreateCounter("distcache_partition_runs_total",
            "Times a partition's mailbox was run: thread=caller on a Redis connection's read loop (no hand-off), thread=pool on the thread pool.",
            "thread");
        var (runsOnCaller, runsOnPool) = (runs.WithLabels("caller"), runs.WithLabels("pool"));
        Registry.AddBeforeCollectCallback(() =>
        {
            var all = _partitions.Values.ToArray();
            keys.Set(all.Sum(p => p.Keys));
            bytes.Set(all.Sum(p => p.Bytes));
            evictions.Set(all.Sum(p => p.Evictions));
            partitions.Set(all.Length);
            clients.Set(ConnectedClients());
            foreach (var (kind, count) in _registrations)
                registrations.WithLabels(kind).Set(count());
            rows.Set(all.Sum(p => p.JournalRows));
            rowsMax.Set(all.Length == 0 ? 0 : all.Max(p => p.JournalRows));
            cpu.Set(Environment.CpuUsage.TotalTime.TotalSeconds);
            var (caller, pool) = PartitionRuns();
            runsOnCaller.IncTo(caller);
            runsOnPool.IncTo(pool);
        });
        CreateInstruments();
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Set by the gateway: how many clients it heard from recently.</summary>
    public Func<int> ConnectedClients { get; set; } = () => 0;

    /// <summary>Set by the node: how often the partitions' dispatcher ran a mailbox on its caller's thread and on the pool.</summary>
    public Func<(long Caller, long Pool)> PartitionRuns { get; set; } = () => (0, 0);

    /// <summary>Set by whoever keeps a kind of client registration: how many it holds now (read from the scraping thread).</summary>
    public void CountRegistrations(string kind, Func<int> count) => _registrations[kind] = count;

    public long TotalOperations => Interlocked.Read(ref _totalOperations);

    public long Keys => _partitions.Values.Sum(p => (long)p.Keys);

    public long Bytes => _partitions.Values.Sum(p => p.Bytes);

    public int Partitions => _partitions.Count;

    public void Operation(string op, long startedTimestamp)
    {
        Interlocked.Increment(ref _totalOperations);
        // Each operation's two series are looked up once: WithLabels allocates its label array and searches
        // the metric's children on every call, on every request.
        if (!_operationSeries.TryGetValue(op, out var series))
            series = _operationSeries.GetOrAdd(op, new OperationSeries(_operations.WithLabels(op), _operationSeconds.WithLabels(op)));
        series.Count.Inc();
        var seconds = Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds;
        series.Seconds.Observe(seconds);
        RecordOperation(op, seconds);
    }

    private readonly ConcurrentDictionary<string, OperationSeries> _operationSeries = new();

    private sealed record OperationSeries(Counter.Child Count, Histogram.Child Seconds);

    /// <summary>One journal event written, carrying <paramref name="writes"/> client writes.</summary>
    public void JournalWrite(long startedTimestamp, int writes)
    {
        _journalWrites.Inc();
        _journalCarried.Inc(writes);
        var seconds = Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds;
        _journalSeconds.Observe(seconds);
        RecordJournalWrite(seconds);
    }

    /// <summary>A keyed request the gateway sent to a partition on this node (local) or to the region (forwarded).</summary>
    public void GatewayRequest(bool local) => (local ? _gatewayLocal : _gatewayForwarded).Inc();

    public long GatewayRequests(bool local) => (long)(local ? _gatewayLocal : _gatewayForwarded).Value;

    /// <summary>A keyed request of a Redis connection, served by a partition on this node (local) or forwarded.
    /// A cluster-aware client that routes by slot keeps forwarded at 0.</summary>
    public void RespRequest(bool local) => (local ? _respLocal : _respForwarded).Inc();

    public long RespRequests(bool local) => (long)(local ? _respLocal : _respForwarded).Value;

    /// <summary>A failed AUTH or HELLO … AUTH on the Redis endpoint.</summary>
    public void RespAuthFailure() => _respAuthFailures.Inc();

    public long RespAuthFailures => (long)_respAuthFailures.Value;

    /// <summary>A SQL transaction committed (see SqliteJournalConnections).</summary>
    public void JournalCommit() => _journalCommits.Inc();

    /// <summary>The journal's counters so far, for `bench` to report rates and ratios.</summary>
    public JournalCounters Journal => new((long)_journalWrites.Value, (long)_journalCarried.Value, (long)_journalCommits.Value,
        Environment.CpuUsage.TotalTime);

    public void Report(string partition, int keys, long bytes, long evictions, long journalRows) =>
        _partitions[partition] = new PartitionStats(keys, bytes, evictions, journalRows);

    public void Stopped(string partition) => _partitions.TryRemove(partition, out _);

    private sealed record PartitionStats(int Keys, long Bytes, long Evictions, long JournalRows);
}
