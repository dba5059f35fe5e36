using System.Diagnostics;
using System.Net;
using DistCache.Client;
using DistCache.Tests.Support;
using Xunit.Abstractions;

namespace DistCache.Tests.History;

/// <summary>Three real hosts, each in a network namespace of its own with its own address (issue 25, part 3):
/// they form a cluster, serve, go through the rolling restart of deploy/statefulset.yaml under a workload,
/// lose a node, and form again after all three restart; no acknowledged key is lost on the way.</summary>
public sealed class MultiHostTests(ITestOutputHelper output)
{
    private const int HttpPort = 8080;
    private const int Nodes = 3;

    /// <summary>The history test's detection (3 s heartbeat pause, 3 s stable-after): the machine the suite runs
    /// on is shared, and a node starved for 2 s must not be downed during a planned move.</summary>
    private const string Timings = """
        akka.cluster.split-brain-resolver.stable-after = 3s
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
        akka.cluster.down-removal-margin = 1s
        """;

    /// <summary>The kubelet's bound on a graceful stop (terminationGracePeriodSeconds in deploy/statefulset.yaml).</summary>
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(60);
    /// <summary>A bound, not an expectation: a node was ready 8-25 s after it started here, but with the machine's
    /// load average at 50 one took over a minute (its shards' remember-entities reads timed out and backed off).</summary>
    private static readonly TimeSpan ReadyPatience = TimeSpan.FromSeconds(120);
    private static readonly HttpClient Http = new(new HttpClientHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>The one place that says how nodes find each other: no seed, Cluster Bootstrap with the config
    /// method and 2 required contact points, as the StatefulSet in deploy/ asks (there with the Kubernetes method).</summary>
    private static IReadOnlyList<string> Formation(NetworkSplit network, int node) => NodeFormation.Discovery(network, node, requiredContactPoints: 2);

    [Fact]
    public async Task Three_hosts_keep_every_acknowledged_key_through_a_rolling_restart_a_lost_node_and_a_full_restart()
    {
        var clock = Stopwatch.StartNew();
        using var network = NetworkSplit.Create(nodes: Nodes);
        using var cluster = new NamespacedCluster(network, Timings, node => [.. Formation(network, node), "--http-port", HttpPort.ToString()]);
        try
        {
            await RunAsync(network, cluster, clock);
        }
        catch
        {
            Log(clock, $"node logs saved in {cluster.SaveLogs(Path.Combine(Path.GetTempPath(), "distcache-tests", $"multihost-{Environment.ProcessId}-nodes"))}");
            throw;
        }
    }

    private async Task RunAsync(NetworkSplit network, NamespacedCluster cluster, Stopwatch clock)
    {
        var all = Enumerable.Range(1, Nodes).ToArray();
        Log(clock, $"formation: {string.Join(' ', Formation(network, 1))}");
        await Task.WhenAll(all.Select(cluster.StartAsync));
        await Task.WhenAll(all.Select(node => ReadyAsync(network, node)));
        Log(clock, $"3 nodes ready at {string.Join(", ", all.Select(cluster.Contact))}");

        await using var client = Connect(cluster);
        await OneClusterOfAsync(client, Nodes);
        if (Formation(network, 1).Contains("--discovery"))
        {
            // Cluster Bootstrap's join decider chose one node and the store let it form; no other node formed one.
            // (That node's store loop, opened by the decision, logs its own self-join too.)
            var formed = cluster.LinesContaining("event=cluster-forming");
            var formers = formed.Select(line => line[..line.IndexOf(':')]).Distinct().ToList();
            Assert.True(formers.Count == 1 && formed.Any(line => line.Contains("discovery chose this node", StringComparison.Ordinal)),
                $"expected one node to form the cluster through discovery: {string.Join(" / ", formed)}");
            Log(clock, $"formed by discovery: {formers[0]}");
        }
        var workload = new AcknowledgedWrites(client, clock);

        using (var stop = new CancellationTokenSource())
        {
            var load = workload.RunAsync(stop.Token);
            try
            {
                // As a StatefulSet's RollingUpdate does: the highest ordinal first, one pod at a time, the next
                // only once the restarted one is ready.
                foreach (var node in all.Reverse())
                {
                    var began = clock.Elapsed;
                    var exitCode = await cluster.LeaveAsync(node, GracePeriod);
                    var left = clock.Elapsed;
                    Assert.Equal(0, exitCode);
                    await cluster.StartAsync(node);
                    await ReadyAsync(network, node);
                    Log(clock, $"rolling restart: node {node} left in {(left - began).TotalSeconds:0.0} s (exit 0), ready again " +
                        $"{(clock.Elapsed - left).TotalSeconds:0.0} s later; {workload.Acknowledged.Count} writes acknowledged, " +
                        $"{workload.Errors.Count} errors so far");
                }
            }
            finally
            {
                stop.Cancel();
                await load;
            }
        }
        Log(clock, $"workload: {workload.Operations} requests, {workload.Acknowledged.Count} writes acknowledged, {workload.Errors.Count} errors, " +
            $"{workload.WrongReads.Count} wrong reads, slowest request {workload.Slowest.TotalMilliseconds:0} ms");
        foreach (var error in workload.Errors.Take(10))
            Log(clock, $"  error: {error}");
        Assert.True(workload.WrongReads.IsEmpty, $"acknowledged keys read back wrong during the rolling restart: {string.Join("; ", workload.WrongReads.Take(10))}");
        await EveryKeyAnswersAsync(workload, client, "after the rolling restart");
        // Not asserted to be none: on this 2-core machine shared with other builds, a hand-off (the leave, or the
        // rebalance onto the rejoined node) sometimes held a request past the client's 5 s (see the README).
        // Any other failure is a bug.
        var notTimeouts = workload.Errors.Where(e => !e.Text.StartsWith(nameof(DistCacheTimeoutException), StringComparison.Ordinal)).ToList();
        Assert.True(notTimeouts.Count == 0, $"requests failed other than by a timeout during the rolling restart: {string.Join("; ", notTimeouts.Take(10))}");
        await OneClusterOfAsync(client, Nodes);
        Log(clock, "every acknowledged key read back after the rolling restart; one cluster of 3");

        // A lost node: its partitions move to the two others, which answer every key again.
        var killed = clock.Elapsed;
        cluster.Kill9(2);
        await EveryKeyAnswersAsync(workload, client, "after kill -9 of node 2");
        Log(clock, $"kill -9 node 2: every acknowledged key answered {(clock.Elapsed - killed).TotalSeconds:0.0} s later");

        // All three restart after a crash of the whole cluster, and form one cluster again.
        cluster.Kill9(1);
        cluster.Kill9(3);
        var restarted = clock.Elapsed;
        await Task.WhenAll(all.Select(cluster.StartAsync));
        await Task.WhenAll(all.Select(node => ReadyAsync(network, node)));
        Log(clock, $"full restart: 3 nodes ready {(clock.Elapsed - restarted).TotalSeconds:0.0} s after starting together");
        await using var fresh = Connect(cluster);
        await OneClusterOfAsync(fresh, Nodes);
        var reading = clock.Elapsed;
        await EveryKeyAnswersAsync(workload, fresh, "after the full restart");
        Log(clock, $"full restart: one cluster of 3, all {workload.Acknowledged.Count} acknowledged keys read back within {(clock.Elapsed - reading).TotalSeconds:0.0} s");
    }

    private static DistCacheClient Connect(NamespacedCluster cluster) => new(new DistCacheClientOptions
    {
        ContactPoints = [.. Enumerable.Range(1, Nodes).Select(cluster.Contact)],
        // Where the nodes reply; on 127.0.0.1 a node that the client had not dialled first (one restarted, or
        // one a request was forwarded to) could not reach it, and those requests timed out.
        Hostname = cluster.Network.TestAddress,
    });

    /// <summary>Ready as Kubernetes' readiness probe sees it: GET /health/ready answers 200.</summary>
    private static Task ReadyAsync(NetworkSplit network, int node) =>
        Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await Http.GetAsync($"http://{network.Address(node)}:{HttpPort}/health/ready");
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, $"node {node} answers 200 on /health/ready", ReadyPatience);

    /// <summary>The node the client asked counts <paramref name="members"/> Up and reachable members: every node
    /// joined that one cluster (a node in a second cluster would not be among them).</summary>
    private static Task OneClusterOfAsync(DistCacheClient client, int members) =>
        Eventually.TrueAsync(async () =>
        {
            var status = await client.StatusAsync();
            return status.Nodes.Count(n => n.Status == "Up" && n.Reachable) == members && status.Nodes.Length == members;
        }, $"one cluster of {members} Up members", ReadyPatience);

    /// <summary>Reads every acknowledged key until each has answered: a timeout is read again (a partition may
    /// still be moving or recovering), a wrong value or a missing key fails at once.</summary>
    private static async Task EveryKeyAnswersAsync(AcknowledgedWrites workload, DistCacheClient client, string when)
    {
        IReadOnlyList<(string Key, string Why)> unanswered = [.. workload.Acknowledged.Keys.Select(key => (key, "not read yet"))];
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                var unreadable = await workload.UnreadableAsync(client, unanswered.Select(u => u.Key));
                var wrong = unreadable.Where(u => !u.Why.StartsWith("DistCache", StringComparison.Ordinal)).ToList();
                Assert.True(wrong.Count == 0, $"{wrong.Count} acknowledged keys read back wrong {when}: {string.Join("; ", wrong.Take(10))}");
                unanswered = unreadable;
                return unanswered.Count == 0;
            }, $"every acknowledged key answers {when}", ReadyPatience);
        }
        catch (Xunit.Sdk.XunitException e) when (unanswered.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}; {unanswered.Count} still do not: {string.Join("; ", unanswered.Take(5))}");
        }
    }

    private void Log(Stopwatch clock, string line) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s: {line}");
}
