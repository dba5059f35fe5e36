using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace DistCache.Tests.History;

/// <summary>Real host processes under faults, every client operation recorded with its invocation and
/// completion time, and the whole history checked for linearizability (issue 11, item 8).</summary>
public sealed class HistoryTests(ITestOutputHelper output)
{
    /// <summary>Fast failure detection and downing, as in ProcessClusterTests: a dead or paused node is
    /// unreachable after about 3 s and downed 3 s later.</summary>
    private const string FastDetection = """
        akka.cluster.split-brain-resolver.stable-after = 3s
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
        akka.cluster.down-removal-margin = 1s
        """;

    [Fact]
    public async Task History_stays_linearizable_under_faults()
    {
        var clock = Stopwatch.StartNew();
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DISTCACHE_HISTORY_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next(1, 100_000);
        Log($"seed {seed} (DISTCACHE_HISTORY_SEED={seed} repeats the workload's choices and the restart delays)");

        // Disposed in reverse: nodes killed first, then the namespaces go, even when the test fails.
        using var network = NetworkSplit.Create(nodes: 4);
        using var cluster = new NamespacedCluster(network, FastDetection);
        try
        {
            await RunAsync(cluster, clock, seed);
        }
        catch
        {
            Log($"node logs saved in {cluster.SaveLogs(Path.Combine(Path.GetTempPath(), "distcache-tests", $"history-{seed}-nodes"))}");
            throw;
        }
    }

    private async Task RunAsync(NamespacedCluster cluster, Stopwatch clock, int seed)
    {
        for (var node = 1; node <= 3; node++)
            await cluster.StartAsync(node);
        Log($"3 nodes ready in namespaces at {cluster.Contact(1)}, {cluster.Contact(2)}, {cluster.Contact(3)} after {clock.Elapsed.TotalSeconds:0.0} s");

        var history = new OperationHistory();
        Log($"history clock 0 s = {DateTime.UtcNow:HH:mm:ss.fff} UTC (node logs are in UTC)");
        var lastFault = TimeSpan.Zero;
        await using (var clients = new NodeClients(requestTimeout: TimeSpan.FromSeconds(2.5), retryInterval: TimeSpan.FromMilliseconds(500)))
        {
            for (var node = 1; node <= 3; node++)
                clients.Connect(node, cluster.Contact(node));
            var workload = new Workload(history, clients, seed);
            var faults = new FaultSchedule(cluster, clients, history, new Random(seed), Log);

            using var stop = new CancellationTokenSource();
            var callers = workload.RunAsync(stop.Token);
            try
            {
                await faults.RunAsync();
            }
            finally
            {
                stop.Cancel();
                await callers;
            }
            var end = history.Now;
            lastFault = faults.Faults[^1].At;
            await workload.FinalReadsAsync();

            Log("");
            Log("availability (after each fault, the longest time some key went without an answer):");
            foreach (var line in Availability.Describe(history.Operations(), faults.Faults, end))
                Log(line);
        }

        var journalErrors = cluster.LinesContaining("UNIQUE constraint failed");
        Log("");
        Log($"journal: {journalErrors.Count} node log line(s) with 'UNIQUE constraint failed' (two writers of one persistence id)");
        foreach (var line in journalErrors.Take(3))
            Log("  " + (line.Length > 300 ? line[..300] + "…" : line));

        var operations = history.Operations();
        var checking = Stopwatch.StartNew();
        // Which faults the history survived: the part before the last fault (the seed's restart) on its own.
        var beforeLast = LinearizabilityChecker.Check(OperationHistory.Prefix(operations, lastFault));
        Log($"before the last fault ({Operation.Seconds(lastFault)}): {beforeLast.Summary.Split('\n')[0]}");
        var report = LinearizabilityChecker.Check(operations);
        Log($"{report.Summary}\n(checked {operations.Count} operations in {checking.Elapsed.TotalSeconds:0.0} s; the whole test took {clock.Elapsed.TotalSeconds:0} s)");
        if (!report.Passed)
        {
            // Kept only for a failure, to study it.
            var saved = Path.Combine(Path.GetTempPath(), "distcache-tests", $"history-{seed}.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
            await File.WriteAllLinesAsync(saved, operations.Select(o => JsonSerializer.Serialize(o)));
            Log($"history saved to {saved}");
        }
        Assert.True(report.Passed, report.ToString());
    }

    private void Log(string line) => output.WriteLine(line);
}
