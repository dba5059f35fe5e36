using DistCache.Client;
using DistCache.Wire;
using System.Collections.Concurrent;
using System.Diagnostics;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>Three in-process nodes on loopback ports sharing one SQLite journal.</summary>
public sealed class SqliteClusterTests : ClusterTests
{
    protected override TestCluster CreateCluster() => TestCluster.OnSqlite();
}

/// <summary>The same, with journal and snapshots in a real PostgreSQL database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresServer server) : ClusterTests
{
    protected override TestCluster CreateCluster() => TestCluster.OnPostgres(server.CreateDatabase());
}

public abstract class ClusterTests
{
    protected abstract TestCluster CreateCluster();

    [Fact]
    public async Task Planned_join_and_leave_move_partitions_and_no_request_fails()
    {
        await using var cluster = CreateCluster();
        var a = await cluster.StartNodeAsync();
        var b = await cluster.StartNodeAsync();
        await using var client = cluster.Connect(TimeSpan.FromSeconds(30));

        var written = new ConcurrentDictionary<string, long>();
        var failures = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            // Bounded in count and time.
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 20_000 && !stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromMinutes(2); i++)
            {
                var key = "k" + (i % 500);
                try
                {
                    await client.SetAsync(key, (long)i);
                    written[key] = i;
                    Assert.Equal(i, await client.GetAsync<long>(key));
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            }
        });

        // Every collection type moves with its partition, in the default mode (always) on both journals.
        await CollectionWorkload.WriteAllAsync(client, "moved:");

        var c = await cluster.StartNodeAsync();
        await Eventually.TrueAsync(async () => await TestCluster.ShardCountAsync(c) > 0, "the joining node gets shards");

        await b.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => await TestCluster.ShardCountAsync(a) + await TestCluster.ShardCountAsync(c) == 16,
            "the leaving node's shards run on the others");

        stop.Cancel();
        await load;
        Assert.Empty(failures);
        Assert.NotEmpty(written);
        foreach (var (key, value) in written)
            Assert.Equal(value, await client.GetAsync<long>(key));
        await CollectionWorkload.AssertAllAsync(client, "moved:");
    }

    [Fact]
    public async Task A_new_three_node_cluster_spreads_its_shards_within_15_seconds_of_the_third_node_being_up()
    {
        await using var cluster = CreateCluster();
        await cluster.StartNodeAsync();
        await cluster.StartNodeAsync();
        await cluster.StartNodeAsync();
        var third = Stopwatch.StartNew();
        await using var client = cluster.Connect(TimeSpan.FromSeconds(10));
        var balance = "";
        while (true)
        {
            var status = await client.StatusAsync();
            balance = status.Balance;
            if (status.Balanced && status.Nodes.Count(n => n.Status == "Up") == 3)
                break;
            Assert.True(third.Elapsed < TimeSpan.FromSeconds(15), $"not balanced 15 s after the third node was Up: {balance}");
            await Task.Delay(100);
        }
        var counts = new[] { 0, 1, 2 }.Select(i => TestCluster.ShardCountAsync(cluster.Nodes[i].Node).Result).ToArray();
        Assert.True(counts.Max() - counts.Min() <= 1, $"shards per node {string.Join("/", counts)} after {third.Elapsed.TotalSeconds:0.0} s ({balance})");
    }

    [Fact]
    public async Task Exactly_once_incr_through_a_crash_and_a_join()
    {
        await using var cluster = CreateCluster();
        await cluster.StartNodeAsync();
        await cluster.StartNodeAsync();
        await cluster.StartNodeAsync();
        await using var client = cluster.Connect(TimeSpan.FromSeconds(60));

        const string key = "ids";
        const int callers = 8;
        const int perCaller = 2_000;
        var returned = new ConcurrentBag<long>();
        var failures = new ConcurrentQueue<Exception>();
        var progress = 0;

        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perCaller; i++)
            {
                try
                {
                    returned.Add(await client.IncrementAsync(key));
                    Interlocked.Increment(ref progress);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            }
        })).ToArray();

        // Beside the counter, in its partition: a list pushed element by element through the crash, and a
        // caller blocked on an empty list there, whose wait the crash interrupts.
        var pushed = SamePartition(key, "pushed");
        const int pushes = 600;
        var pusher = Task.Run(async () =>
        {
            for (var i = 0; i < pushes; i++)
            {
                try
                {
                    await client.ListRightPushAsync(pushed, "p" + i);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            }
        });
        var queue = SamePartition(key, "queue");
        var waiter = client.ListBlockingLeftPopAsync([queue], TimeSpan.FromMinutes(3));

        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref progress) >= 2_000), "increments under way");
        var host = await cluster.HostOfAsync(KeyHasher.PartitionOf(key, 64));
        Assert.NotNull(host);
        await TestCluster.CrashAsync(host);

        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref progress) >= 6_000), "increments continue after the crash");
        // The waiter's retry waits at the partition's new home and is served by the first push there.
        Assert.False(waiter.IsCompleted, "the blocked pop waits through the crash");
        await client.ListRightPushAsync(queue, "job");
        var popped = await waiter.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("job", Assert.NotNull(popped).Value);
        await cluster.StartNodeAsync();

        await Task.WhenAll(workers.Append(pusher)).WaitAsync(TimeSpan.FromMinutes(5));
        Assert.Empty(failures);
        Assert.Equal(callers * perCaller, returned.Count);
        Assert.Equal(returned.Count, returned.Distinct().Count());
        Assert.Equal(returned.Count, await client.GetAsync<long>(key));
        // Each push applied once, in order, though some were retried across the crash.
        Assert.Equal(Enumerable.Range(0, pushes).Select(i => "p" + i), await client.ListRangeAsync(pushed));
        Assert.Equal(0, await client.ListLengthAsync(queue));
    }

    private static string SamePartition(string key, string prefix) =>
        Enumerable.Range(0, 2_000_000).Select(i => prefix + i).First(k => DistCache.Wire.KeySlot.Of(k) == DistCache.Wire.KeySlot.Of(key));

    [Fact]
    public async Task After_a_whole_cluster_restart_every_partition_recovers_before_the_first_request()
    {
        await using var cluster = CreateCluster();
        for (var i = 0; i < 3; i++)
            await cluster.StartNodeAsync();
        await using (var client = cluster.Connect(TimeSpan.FromSeconds(30)))
        {
            for (var i = 0; i < 400; i++)
                await client.SetAsync("key" + i, "value" + i);
            await CollectionWorkload.WriteAllAsync(client, "restarted:");
        }
        await cluster.StopAllAsync();

        for (var i = 0; i < 3; i++)
            await cluster.StartNodeAsync();
        // No request has been sent: the partitions start and recover on their own.
        await Eventually.TrueAsync(() => Task.FromResult(
                cluster.LiveNodes.Sum(n => n.Recovery.RecoveredPartitions) == 64 &&
                cluster.LiveNodes.Sum(n => n.Recovery.RecoveredKeys) == 400 + CollectionWorkload.Keys),
            $"all 64 partitions recovered with all {400 + CollectionWorkload.Keys} keys");

        await using var after = cluster.Connect(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 400; i++)
            Assert.Equal("value" + i, await after.GetAsync<string>("key" + i));
        await CollectionWorkload.AssertAllAsync(after, "restarted:");
    }
}
