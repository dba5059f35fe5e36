using System.Text;
using System.Text.RegularExpressions;
using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Actors.Monitoring;
using DistCache.Client;
using DistCache.Host.Http;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>What an operator watches: readiness, metrics, the clients and nodes in `status`.</summary>
public sealed class MonitoringTests
{
    private static readonly Config ShortClientTimeout = ConfigurationFactory.ParseString("distcache.client-timeout = 6s");

    [Fact]
    public async Task Readiness_is_false_until_the_partitions_have_recovered_then_true()
    {
        await using var cluster = TestCluster.OnSqlite();
        var first = await cluster.StartNodeAsync();
        await using (var client = cluster.Connect(TimeSpan.FromSeconds(30)))
            await client.SetManyAsync(Enumerable.Range(0, 2000).Select(i => KeyValuePair.Create("k" + i, i)));
        await cluster.StopAllAsync();

        var observations = new List<(bool Ready, string Why)>();
        var restart = cluster.StartNodeAsync();
        DistCacheNode? node = null;
        while (node is null || !observations.LastOrDefault().Ready)
        {
            node ??= cluster.LiveNodes.FirstOrDefault();
            if (node is not null)
                observations.Add(await Readiness.CheckAsync(node));
            Assert.True(observations.Count < 2000, "never became ready: " + observations.LastOrDefault().Why);
            await Task.Delay(10);
        }
        await restart;

        Assert.False(observations[0].Ready);
        Assert.True(observations[^1].Ready);
        Assert.Contains("64 partitions recovered", observations[^1].Why);
        Assert.Equal(2000, node.Recovery.RecoveredKeys);
    }

    [Fact]
    public async Task Metrics_move_with_operations()
    {
        await using var cluster = TestCluster.OnSqlite();
        var node = await cluster.StartNodeAsync();
        await using var client = cluster.Connect(TimeSpan.FromSeconds(30));
        await client.SetAsync("warm-up", 1);

        var before = await Scrape(node.Metrics);
        for (var i = 0; i < 10; i++)
            await client.SetAsync("m" + i, i);
        await client.GetAsync<int>("m0");
        // Keys and bytes are reported by each partition once a second.
        string after = "";
        await Eventually.TrueAsync(async () => Value(after = await Scrape(node.Metrics), "distcache_keys") >= Value(before, "distcache_keys") + 10, "keys gauge follows");

        Assert.True(Value(after, "distcache_operations_total{op=\"SetValue\"}") >= Value(before, "distcache_operations_total{op=\"SetValue\"}") + 10);
        Assert.True(Value(after, "distcache_operations_total{op=\"GetValue\"}") >= 1);
        Assert.True(Value(after, "distcache_journal_writes_total") >= Value(before, "distcache_journal_writes_total") + 10);
        // Each event carries at least one client write; SQLite's commits are counted.
        Assert.True(Value(after, "distcache_journal_carried_writes_total") >= Value(after, "distcache_journal_writes_total"));
        Assert.True(Value(after, "distcache_journal_commits_total") > Value(before, "distcache_journal_commits_total"));
        Assert.True(Value(after, "distcache_process_cpu_seconds") > 0);
        // Every event since the partitions' last snapshots is still to replay; one partition holds at most all of them.
        var sinceSnapshot = Value(after, "distcache_journal_rows_since_snapshot");
        Assert.True(sinceSnapshot >= 1 && Value(after, "distcache_journal_rows_since_snapshot_max") <= sinceSnapshot);
        Assert.True(Value(after, "distcache_bytes") > Value(before, "distcache_bytes"));
        Assert.Equal(64, Value(after, "distcache_partitions"));
        Assert.True(Value(after, "distcache_operation_duration_seconds_count{op=\"SetValue\"}") >= 10);
        await Eventually.TrueAsync(async () => Value(await Scrape(node.Metrics), "distcache_connected_clients") >= 1, "the client is counted");
    }

    [Fact]
    public async Task A_killed_client_disappears_from_status_and_clients_see_the_cluster_go_and_come_back()
    {
        await using var cluster = TestCluster.OnSqlite(ShortClientTimeout);
        await cluster.StartNodeAsync();
        var watcher = cluster.Connect(TimeSpan.FromSeconds(30));
        var doomed = cluster.Connect(TimeSpan.FromSeconds(30));
        await doomed.SetAsync("x", 1);
        await Eventually.TrueAsync(async () => (await watcher.StatusAsync()).Clients.Length == 2, "both clients are listed");
        Assert.All((await watcher.StatusAsync()).Clients, c => Assert.False(c.Silent));

        await doomed.DisposeAsync(); // its actor system is gone: no more heartbeats
        await Eventually.TrueAsync(async () => (await watcher.StatusAsync()).Clients.Length == 1, "the killed client leaves the status");

        var lost = new TaskCompletionSource();
        var regained = new TaskCompletionSource();
        watcher.ConnectionLost += (_, _) => lost.TrySetResult();
        watcher.Connected += (_, _) => regained.TrySetResult();
        Assert.Equal(DistCacheConnectionState.Connected, watcher.State);

        var port = cluster.Nodes[0].Port;
        await cluster.StopAllAsync();
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(DistCacheConnectionState.Disconnected, watcher.State);

        await cluster.StartNodeAsync(); // same port, same journal
        Assert.Equal(port, cluster.Nodes[0].Port);
        await regained.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, await watcher.GetAsync<int>("x"));
        await watcher.DisposeAsync();
    }

    [Fact]
    public async Task A_killed_node_shows_unreachable_then_is_gone()
    {
        // The dead node stays unreachable until the split brain resolver downs it. The client may have
        // been talking through the node that dies and need a few seconds to fail over, so the window in
        // which `status` can show it unreachable is made wider than that.
        await using var cluster = TestCluster.OnSqlite(Akka.Configuration.ConfigurationFactory.ParseString(
            "akka.cluster.split-brain-resolver.stable-after = 15s"));
        for (var i = 0; i < 3; i++)
            await cluster.StartNodeAsync();
        await using var client = new DistCacheClient(new DistCacheClientOptions
        {
            ContactPoints = [$"127.0.0.1:{cluster.Nodes[0].Port}"],
            RequestTimeout = TimeSpan.FromSeconds(30),
        });
        // A node sees itself Up before the gossip telling the contacted node so has arrived there.
        await Eventually.TrueAsync(async () =>
        {
            var nodes = (await client.StatusAsync()).Nodes;
            return nodes.Length == 3 && nodes.All(n => n.Reachable && n.Answered && n.Status == "Up");
        }, "all three nodes are listed Up, reachable and answering");
        // Shards are still moving to the new nodes for a while after they join: a moving partition is
        // stopped on one node before it starts on the other, so the total reaches 64 once that settles.
        await Eventually.TrueAsync(async () => (await client.StatusAsync()).Nodes.Sum(n => n.Partitions) == 64, "every partition runs somewhere");

        var victim = $"127.0.0.1:{cluster.Nodes[2].Port}";
        await TestCluster.CrashAsync(cluster.Nodes[2].Node);
        await Eventually.TrueAsync(async () => (await client.StatusAsync()).Nodes.Any(n => n.Address == victim && !n.Reachable), "the dead node shows unreachable");
        await Eventually.TrueAsync(async () => (await client.StatusAsync()).Nodes.All(n => n.Address != victim), "the dead node is gone");
        Assert.Equal(2, (await client.StatusAsync()).Nodes.Length);
    }

    private static async Task<string> Scrape(NodeMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Value(string exposition, string series)
    {
        var match = Regex.Match(exposition, "^" + Regex.Escape(series) + @" (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
