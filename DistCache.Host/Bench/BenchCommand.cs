using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using DistCache.Client;
using DistCache.Host.Cli;
using Spectre.Console;

namespace DistCache.Host.Bench;

/// <summary>`bench`, like redis-benchmark: N concurrent callers run each operation for a number of requests
/// (or seconds, whichever ends first), then the throughput and latency percentiles are printed per operation.</summary>
public static class BenchCommand
{
    private static readonly string[] KnownOps = ["set", "get", "incr", "mixed"];

    public static Command Create()
    {
        var command = new Command("bench", "Load-test a cluster: ops/s and p50/p95/p99/p99.9 latency per operation.");
        var ops = new Option<string>("--ops") { Description = "Comma-separated: set, get, incr, mixed (80% get, 20% set).", DefaultValueFactory = _ => "set,get" };
        var clients = new Option<int>("--clients") { Description = "Concurrent callers.", DefaultValueFactory = _ => 50 };
        var requests = new Option<int>("--requests") { Description = "Requests per operation.", DefaultValueFactory = _ => 100_000 };
        var duration = new Option<double?>("--duration") { Description = "Seconds per operation (ends the run early; the request count still bounds it)." };
        var keyspace = new Option<int>("--keyspace") { Description = "Distinct keys (bench:0 … bench:N-1).", DefaultValueFactory = _ => 10_000 };
        var keyPrefix = new Option<string>("--key-prefix")
        {
            Description = "What the keys start with (key: overwrites the keys `fill` wrote).", DefaultValueFactory = _ => "bench:",
        };
        var valueSize = new Option<int>("--value-size") { Description = "Bytes per SET value.", DefaultValueFactory = _ => 32 };
        var durability = new Option<string?>("--durability")
        {
            Description = "Bench a throwaway local node started with this durability mode (always, batched, none) instead of --contact.",
        };
        durability.AcceptOnlyFromAmong("always", "batched", "none");
        var warmup = new Option<double>("--warmup")
        {
            Description = "Seconds of each operation to run first, unmeasured (the JIT tiers up the hot paths of client and node).",
            DefaultValueFactory = _ => 0,
        };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the results to this file as JSON." };
        var metrics = new Option<string?>("--metrics")
        {
            Description = "The benched node's /metrics URL (its --http-port): bench then reports the node's CPU per operation and its journal's rows/s, writes per row and rows per commit.",
        };
        var rate = new Option<double?>("--rate")
        {
            Description = "Requests per second of all callers together (default: as fast as they are answered). Latency then counts from when a " +
                "request was due, and connection failures count as errors instead of ending the run.",
        };
        var reportEvery = new Option<double?>("--report-every")
        {
            Description = "Also cut the run into intervals of this many seconds and append each, when it ends, to --report-file as one JSON line " +
                "(requests, errors, ops/s, p50/p99/p99.9 of that interval): a long run read as it goes, from one client.",
        };
        var reportFile = new Option<FileInfo?>("--report-file") { Description = "Where --report-every appends its lines (JSON Lines)." };
        var ttl = new Option<double?>("--ttl") { Description = "Seconds of expiry on every SET (set and mixed); default none." };
        var nearCache = new Option<bool>("--near-cache") { Description = "Read through the client's near cache (GET of a key read before is served in the process)." };
        var contacts = ConnectionOptions.Contacts();
        var timeout = ConnectionOptions.Timeout();
        var tls = ConnectionOptions.Tls();
        tls.AddTo(command);
        foreach (var option in new Option[] { ops, clients, requests, duration, keyspace, keyPrefix, valueSize, durability, warmup, json, metrics, rate, reportEvery, reportFile, ttl, nearCache, contacts, timeout })
            command.Options.Add(option);

        command.SetAction(async (result, cancellation) =>
        {
            var selected = result.GetValue(ops)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (selected.Length == 0 || selected.FirstOrDefault(o => !KnownOps.Contains(o)) is { } unknown)
                return await Fail($"--ops: unknown operation '{selected.FirstOrDefault(o => !KnownOps.Contains(o))}' (known: {string.Join(", ", KnownOps)})");
            var callers = result.GetValue(clients);
            var count = result.GetValue(requests);
            var keys = result.GetValue(keyspace);
            var size = result.GetValue(valueSize);
            if (callers < 1 || count < 1 || keys < 1 || size < 1)
                return await Fail("--clients, --requests, --keyspace and --value-size must be positive");
            Uri? metricsUrl = null;
            if (result.GetValue(metrics) is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out metricsUrl) || metricsUrl.Scheme is not ("http" or "https")))
                return await Fail($"--metrics: '{url}' is not an http(s) URL (for example http://127.0.0.1:8080/metrics)");
            if (result.GetValue(rate) is { } perSecond && !(perSecond > 0 && perSecond < 1e9))
                return await Fail($"--rate: {perSecond} is not a positive number of requests per second");
            var pacer = result.GetValue(rate) is { } r ? new RequestPacer(r) : null;
            if (result.GetValue(ttl) is { } seconds && !(seconds > 0 && seconds <= 365 * 86400))
                return await Fail($"--ttl: {seconds} is not a positive number of seconds (at most a year)");
            TimeSpan? expiry = result.GetValue(ttl) is { } t ? TimeSpan.FromSeconds(t) : null;
            if (result.GetValue(reportEvery) is { } every && !(every >= 1 && every <= 3600))
                return await Fail($"--report-every: {every} is not a number of seconds from 1 to 3600");
            if (result.GetValue(reportEvery).HasValue != (result.GetValue(reportFile) is not null))
                return await Fail("--report-every and --report-file go together: the one says how often, the other where");
            var intervals = result.GetValue(reportFile) is { } reportTo ? (TimeSpan.FromSeconds(result.GetValue(reportEvery)!.Value), reportTo.FullName) : ((TimeSpan, string)?)null;
            // A bound in time even without --duration: a load test never runs unattended forever.
            var limit = TimeSpan.FromSeconds(result.GetValue(duration) ?? 600);

            await using var node = result.GetValue(durability) is { } mode ? await ThrowawayNode.StartAsync(mode) : null;
            await using var client = ConnectionOptions.Connect(result, contacts, timeout, tls, node?.Contact,
                result.GetValue(nearCache) ? o => o with { NearCache = new Client.NearCache.NearCacheOptions { MaxEntries = Math.Max(10_000, keys * 2) } } : null);
            if (result.GetValue(nearCache))
                await WaitForNearCacheAsync(client, result.GetValue(keyPrefix) + "0", cancellation);
            var probe = node is not null ? NodeProbe.Of(node.Metrics) : metricsUrl is not null ? NodeProbe.Scraping(metricsUrl) : null;
            var value = new string('x', size);
            var prefix = result.GetValue(keyPrefix)!;
            var stats = new List<LatencyStats>();
            var warmupSeconds = Math.Min(result.GetValue(warmup), 600);
            foreach (var op in selected)
            {
                if (warmupSeconds > 0)
                    await RunAsync(client, op, callers, int.MaxValue, TimeSpan.FromSeconds(warmupSeconds), keys, prefix, value, expiry, pacer, cancellation, "warm-up ");
                stats.Add(await RunAsync(client, op, callers, count, limit, keys, prefix, value, expiry, pacer, cancellation, probe: probe, intervals: intervals));
            }

            Report(stats, callers, keys, size, result.GetValue(durability), result.GetValue(rate), expiry);
            if (result.GetValue(json) is { } file)
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(stats.Select(s => new
                {
                    op = s.Operation, clients = callers, rate = result.GetValue(rate), ttl_seconds = expiry?.TotalSeconds, requests = s.Requests, errors = s.Errors, seconds = s.Seconds,
                    ops_per_second = s.OpsPerSecond, p50_ms = s.P50Ms, p95_ms = s.P95Ms, p99_ms = s.P99Ms, p999_ms = s.P999Ms,
                    error_kinds = s.ErrorKinds, node_cpu_us_per_op = s.Cost?.NodeCpuUsPerOp, client_cpu_us_per_op = s.Cost?.ClientCpuUsPerOp,
                    journal_rows_per_second = s.Cost?.JournalRowsPerSecond, writes_per_row = s.Cost?.WritesPerRow, rows_per_commit = s.Cost?.RowsPerCommit,
                }), new JsonSerializerOptions { WriteIndented = true }), cancellation);
            return stats.Sum(s => s.Errors) == 0 ? 0 : 1;
        });
        return command;
    }

    private static async Task<LatencyStats> RunAsync(DistCacheClient client, string op, int callers, int requests, TimeSpan limit,
        int keyspace, string prefix, string value, TimeSpan? ttl, RequestPacer? pacer, CancellationToken cancellation, string label = "",
        NodeProbe? probe = null, (TimeSpan Every, string File)? intervals = null)
    {
        var report = intervals is null ? null : new IntervalReport(callers);
        var nodeBefore = probe is null ? null : await probe.ReadAsync(cancellation);
        var clientCpuBefore = Environment.CpuUsage.TotalTime;
        var issued = 0L;
        var errors = 0L;
        var errorKinds = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var perWorker = Enumerable.Range(0, callers).Select(_ => new List<long>(Math.Min(requests / callers + 1, 1 << 16))).ToArray();
        var clock = Stopwatch.StartNew();
        var startedAt = Stopwatch.GetTimestamp();
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async progress =>
        {
            var task = progress.AddTask($"{label}{op} ({callers} clients)", maxValue: requests);
            using var ticker = new Timer(_ => task.Value = Math.Min(Interlocked.Read(ref issued), requests), null, 200, 200);
            // One callback at a time (a timer may overlap itself), appending each interval as it ends.
            using var cutter = report is null ? null : new Timer(_ =>
            {
                lock (report)
                    File.AppendAllText(intervals!.Value.File, report.Cut(op, Stopwatch.GetTimestamp()) + "\n");
            }, null, intervals!.Value.Every, intervals.Value.Every);
            await Task.WhenAll(perWorker.Select((latencies, worker) => Task.Run(async () =>
            {
                var random = new Random();
                long ticket;
                while ((ticket = Interlocked.Increment(ref issued)) <= requests && clock.Elapsed < limit && !cancellation.IsCancellationRequested)
                {
                    var key = prefix + random.Next(keyspace);
                    var started = Stopwatch.GetTimestamp();
                    if (pacer is not null)
                    {
                        var due = pacer.DueAt(ticket);
                        if (due >= limit)
                            break;
                        if (due - clock.Elapsed is { Ticks: > 0 } wait)
                            await Task.Delay(wait, cancellation);
                        started = startedAt + (long)(due.TotalSeconds * Stopwatch.Frequency);
                    }
                    try
                    {
                        await (op switch
                        {
                            "set" => client.SetAsync(key, value, ttl),
                            "get" => client.GetRawAsync(key),
                            "incr" => client.IncrementAsync(prefix + "counter:" + random.Next(keyspace)),
                            _ => random.Next(5) == 0 ? client.SetAsync(key, value, ttl) : client.GetRawAsync(key),
                        });
                        var latency = Stopwatch.GetTimestamp() - started;
                        latencies.Add(latency);
                        report?.Completed(worker, latency);
                    }
                    // Unpaced, a lost cluster ends the run (it would fail requests as fast as they are sent); paced, it
                    // is a run of errors at the rate, which a soak counts.
                    catch (DistCacheException ex) when (ex is not DistCacheConnectionException || pacer is not null)
                    {
                        Interlocked.Increment(ref errors);
                        errorKinds.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
                        report?.Failed(ex.GetType().Name);
                    }
                }
            }, cancellation)));
            task.Value = requests;
            if (report is not null)
            {
                await cutter!.DisposeAsync();
                lock (report)
                    File.AppendAllText(intervals!.Value.File, report.Cut(op, Stopwatch.GetTimestamp()) + "\n");
            }
        });
        var elapsed = clock.Elapsed;
        var clientCpu = Environment.CpuUsage.TotalTime - clientCpuBefore;
        var completed = perWorker.Sum(w => (long)w.Count) + errors;
        var cost = nodeBefore is null ? null
            : OperationCost.From((await probe!.ReadAsync(cancellation)).Minus(nodeBefore), clientCpu, completed, elapsed.TotalSeconds);
        return LatencyStats.From(op, perWorker, elapsed, errors, cost, new Dictionary<string, long>(errorKinds));
    }

    // The near cache serves once its node shows it has every invalidation: read until a read is served locally.
    private static async Task WaitForNearCacheAsync(DistCacheClient client, string key, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        while (client.NearCacheReads!.Value.Hits == 0 && clock.Elapsed < TimeSpan.FromSeconds(30) && !cancellation.IsCancellationRequested)
        {
            await client.GetRawAsync(key);
            await Task.Delay(20, cancellation);
        }
    }

    private static void Report(IEnumerable<LatencyStats> stats, int clients, int keyspace, int valueSize, string? durability, double? rate, TimeSpan? ttl)
    {
        var node = durability is null ? "" : $", throwaway node with durability {durability} (node and client in one process: node µs/op counts both)";
        var paced = rate is { } r ? $", paced at {r:0} requests/s" : "";
        var expiring = ttl is { } t ? $", SET with TTL {t.TotalSeconds:0.###} s" : "";
        var table = new Table().Title($"DistCache bench: {clients} clients, keyspace {keyspace}, value {valueSize} B{paced}{expiring}{node}");
        var costed = stats.Any(s => s.Cost is not null);
        var columns = new[] { "op", "requests", "errors", "ops/s", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms" };
        if (costed)
            columns = [.. columns, "node µs/op", "client µs/op", "journal rows/s", "writes/row", "rows/commit"];
        foreach (var column in columns)
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var s in stats)
        {
            string[] row = [s.Operation, s.Requests.ToString(), s.Errors.ToString(), s.OpsPerSecond.ToString("0"),
                s.P50Ms.ToString("0.00"), s.P95Ms.ToString("0.00"), s.P99Ms.ToString("0.00"), s.P999Ms.ToString("0.00")];
            if (costed)
                row = [.. row, .. s.Cost is { } c
                    ? new[] { c.NodeCpuUsPerOp.ToString("0"), c.ClientCpuUsPerOp.ToString("0"), c.JournalRowsPerSecond.ToString("0"),
                        c.WritesPerRow.ToString("0.00"), c.RowsPerCommit > 0 ? c.RowsPerCommit.ToString("0.0") : "-" }
                    : ["-", "-", "-", "-", "-"]];
            table.AddRow(row);
        }
        // Redirected output has no terminal width: give the table room rather than wrap every figure.
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 180);
        AnsiConsole.Write(table);
    }

    private static async Task<int> Fail(string message)
    {
        await Console.Error.WriteLineAsync($"(error) {message}");
        return 1;
    }
}
