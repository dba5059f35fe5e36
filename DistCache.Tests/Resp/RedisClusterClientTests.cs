using System.Diagnostics;
using System.Globalization;
using DistCache.Actors.Cluster;
using DistCache.Host.Resp;
using DistCache.Host.Resp.RedisCluster;
using DistCache.Tests.Support;
using DistCache.Wire;
using StackExchange.Redis;

namespace DistCache.Tests.Resp;

/// <summary>Redis Cluster clients against the shared 3-node cluster (cluster-mode auto): they read the slot map
/// from any node, send each key to its owner (nothing forwarded), and follow MOVED.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RedisClusterClientTests(RespClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    // A hash tag of its own per test run: the keys of this class share no slot with other classes' keys.
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    private int Port(int node) => fixture.ClusterServers[node].Port;

    private IEnumerable<DistCache.Actors.Cluster.DistCacheNode> Nodes => fixture.Cluster.Nodes.Select(n => n.Node);

    // Settled: every node names the same owner for every partition, that owner serves it, and the nodes are
    // within one shard of each other (the allocation strategy moves nothing more).
    private bool Settled()
    {
        var maps = fixture.ClusterServers.Select(s => s.Slots.Current).ToArray();
        if (maps.Any(m => m.Nodes.Count != 3))
            return false;
        var nodes = Nodes.ToArray();
        var shards = nodes[0].Settings.Shards;
        var shardsPerNode = new HashSet<int>[3];
        for (var i = 0; i < 3; i++)
            shardsPerNode[i] = [];
        for (var p = 0; p < maps[0].Partitions; p++)
        {
            var ports = maps.Select(m => m.OwnerOfPartition(p) is >= 0 and var o ? m.Nodes[o].Endpoint.Port : -1).Distinct().ToArray();
            if (ports is not [var port and > 0])
                return false;
            var owner = fixture.ClusterServers.Select((s, i) => (s, i)).Single(x => x.s.Port == port).i;
            if (nodes[owner].LocalPartitions.Find(p) is null)
                return false;
            shardsPerNode[owner].Add(p % shards);
        }
        return shardsPerNode.Max(s => s.Count) - shardsPerNode.Min(s => s.Count) <= 1;
    }

    private Task SettledAsync() => Eventually.TrueAsync(() => Task.FromResult(Settled()), "the three nodes agree on a settled slot map", Patience);

    // The node (index) whose Redis port owns the key's slot, as node 0 sees it.
    private int OwnerOf(string key)
    {
        var map = fixture.ClusterServers[0].Slots.Current;
        var port = map.Nodes[map.OwnerOfSlot(KeySlot.Of(System.Text.Encoding.UTF8.GetBytes(key)))].Endpoint.Port;
        return fixture.ClusterServers.Select((s, i) => (s, i)).Single(x => x.s.Port == port).i;
    }

    private static Dictionary<string, string> Fields(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains(':') && !l.StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 1)..]);

    [Fact]
    public async Task Every_node_describes_the_same_three_nodes_and_slot_owners()
    {
        await SettledAsync();
        var ids = new Dictionary<int, string>();
        for (var node = 0; node < 3; node++)
        {
            var lines = (await RedisCli.OutputAsync(Port(node), null, "CLUSTER", "NODES")).Split('\n');
            Assert.Equal(3, lines.Length);
            var myid = await RedisCli.OutputAsync(Port(node), null, "CLUSTER", "MYID");
            Assert.Matches("^[0-9a-f]{40}$", myid);
            var covered = new bool[KeySlot.Count];
            foreach (var line in lines)
            {
                var fields = line.Split(' ');
                var port = int.Parse(fields[1][(fields[1].IndexOf(':') + 1)..fields[1].IndexOf('@')], CultureInfo.InvariantCulture);
                Assert.Contains(port, fixture.ClusterServers.Select(s => s.Port));
                // Every node computes the same id for a node.
                Assert.Equal(fields[0], ids.TryGetValue(port, out var known) ? known : ids[port] = fields[0]);
                Assert.Equal(port == Port(node), fields[2] == "myself,master");
                if (port == Port(node))
                    Assert.Equal(myid, fields[0]);
                Assert.Equal(["-", "0", "0", "0", "connected"], fields[3..8]);
                Assert.True(fields.Length > 8, $"{line}: owns no slot");
                foreach (var range in fields[8..])
                {
                    var bounds = range.Split('-').Select(int.Parse).ToArray();
                    for (var slot = bounds[0]; slot <= bounds[^1]; slot++)
                    {
                        Assert.False(covered[slot], $"slot {slot} listed twice");
                        covered[slot] = true;
                    }
                }
            }
            Assert.All(covered, Assert.True);

            var info = Fields(await RedisCli.OutputAsync(Port(node), null, "CLUSTER", "INFO"));
            Assert.Equal("ok", info["cluster_state"]);
            Assert.Equal("16384", info["cluster_slots_assigned"]);
            Assert.Equal("3", info["cluster_known_nodes"]);
            Assert.Equal("3", info["cluster_size"]);
            var server = Fields(await RedisCli.OutputAsync(Port(node), null, "INFO", "server", "cluster"));
            Assert.Equal("cluster", server["redis_mode"]);
            Assert.Equal("1", server["cluster_enabled"]);
        }
        Assert.Equal(3, ids.Values.Distinct().Count());
        Assert.Equal("12182", await RedisCli.OutputAsync(Port(1), null, "CLUSTER", "KEYSLOT", "foo"));
    }

    [Fact]
    public async Task Stackexchange_redis_given_one_node_finds_all_three_and_sends_every_key_to_its_owner()
    {
        await SettledAsync();
        var options = ConfigurationOptions.Parse(fixture.ClusterEndpoint(0));
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 30_000;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        Assert.Equal(ServerType.Cluster, redis.GetServer(fixture.ClusterEndpoint(0)).ServerType);
        Assert.Equal(fixture.ClusterServers.Select(s => s.Port).Order(),
            redis.GetEndPoints().Select(e => ((System.Net.IPEndPoint)e).Port).Order());

        var forwarded = Nodes.Select(n => n.Metrics.RespRequests(local: false)).ToArray();
        var local = Nodes.Select(n => n.Metrics.RespRequests(local: true)).ToArray();
        var db = redis.GetDatabase();
        const int keys = 300;
        await Task.WhenAll(Enumerable.Range(0, keys).Select(i => db.StringSetAsync($"se-cluster:{_tag}:{i}", i)));
        var values = await Task.WhenAll(Enumerable.Range(0, keys).Select(i => db.StringGetAsync($"se-cluster:{_tag}:{i}")));
        Assert.Equal(Enumerable.Range(0, keys).Select(i => (RedisValue)i), values);
        Assert.Equal(3, await db.StringIncrementAsync($"se-cluster:{_tag}:1", 2));
        // Keys of one slot (a hash tag) together, as a cluster client must send them.
        await db.StringSetAsync([new($"{{{_tag}}}:a", "1"), new($"{{{_tag}}}:b", "2")]);
        Assert.Equal(["1", "2"], (await db.StringGetAsync([$"{{{_tag}}}:a", $"{{{_tag}}}:b"])).Select(v => (string)v!));

        var forwardedAfter = Nodes.Select(n => n.Metrics.RespRequests(local: false)).ToArray();
        var localAfter = Nodes.Select(n => n.Metrics.RespRequests(local: true)).ToArray();
        Assert.Equal(forwarded, forwardedAfter);
        // Every node served its share; together at least every request above.
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(localAfter[i] - local[i] > 20, $"node {i} served {localAfter[i] - local[i]}"));
        // MSET and MGET travel through the gateway's fan-out, which these counters do not count.
        Assert.True(localAfter.Sum() - local.Sum() >= 2 * keys + 1, $"served {localAfter.Sum() - local.Sum()}");
    }

    [Fact]
    public async Task A_client_that_asked_for_the_slot_map_is_moved_and_a_plain_one_is_served()
    {
        await SettledAsync();
        var key = Enumerable.Range(0, 100).Select(i => $"moved:{_tag}:{i}").First(k => OwnerOf(k) == 1);
        var slot = KeySlot.Of(System.Text.Encoding.UTF8.GetBytes(key));
        // A plain client on the wrong node is served by forwarding (which the counter sees).
        var forwarded = Nodes.First().Metrics.RespRequests(local: false);
        Assert.Equal("OK", await RedisCli.OutputAsync(Port(0), null, "SET", key, "here"));
        Assert.True(Nodes.First().Metrics.RespRequests(local: false) > forwarded);
        Assert.Equal($"OK\nMOVED {slot} 127.0.0.1:{Port(1)}", await RedisCli.OutputAsync(Port(0), "READONLY\nGET " + key + "\n"));
        Assert.Equal("OK\nhere", await RedisCli.OutputAsync(Port(1), "READONLY\nGET " + key + "\n"));
    }

    [Fact]
    public async Task Redis_cli_in_cluster_mode_follows_moved_to_the_owner()
    {
        await SettledAsync();
        // redis-cli -c asks for no slot map: in mode auto it is served by forwarding, so a second port of node 0
        // in mode on shows the redirect it follows (to the other nodes' announced ports, in mode auto).
        await using var strict = RespServer.Start(Nodes.First(), "127.0.0.1", 0, RespClusterMode.On);
        var keys = Enumerable.Range(0, 100).Select(i => $"cli:{_tag}:{i}").ToArray();
        foreach (var node in new[] { 1, 2 })
        {
            var key = keys.First(k => OwnerOf(k) == node);
            var slot = KeySlot.Of(System.Text.Encoding.UTF8.GetBytes(key));
            var forwarded = Nodes.Select(n => n.Metrics.RespRequests(local: false)).Sum();
            Assert.Equal($"MOVED {slot} 127.0.0.1:{Port(node)}", await RedisCli.OutputAsync(strict.Port, null, "GET", key));
            Assert.Equal("OK", await RedisCli.OutputAsync(strict.Port, null, "-c", "SET", key, $"v{node}"));
            Assert.Equal($"v{node}", await RedisCli.OutputAsync(strict.Port, null, "-c", "GET", key));
            Assert.Equal(forwarded, Nodes.Select(n => n.Metrics.RespRequests(local: false)).Sum());
        }
        // A key of node 0 is served on the strict port itself.
        var mine = keys.First(k => OwnerOf(k) == 0);
        Assert.Equal("OK", await RedisCli.OutputAsync(strict.Port, null, "SET", mine, "v0"));
    }

    [Fact]
    public async Task Countkeysinslot_and_getkeysinslot_see_the_keys_of_one_slot()
    {
        await SettledAsync();
        for (var i = 0; i < 5; i++)
            Assert.Equal("OK", await RedisCli.OutputAsync(Port(0), null, "SET", $"{{{_tag}}}:{i}", "v"));
        var slot = (await RedisCli.OutputAsync(Port(2), null, "CLUSTER", "KEYSLOT", $"{{{_tag}}}:0")).Trim();
        Assert.Equal(KeySlot.Of(System.Text.Encoding.UTF8.GetBytes(_tag)).ToString(CultureInfo.InvariantCulture), slot);
        // Every key of the slot, wherever asked. Other classes' keys share the cluster (thousands of them, so a
        // slot holds one of theirs now and then): they are listed too, and counted.
        var all = (await RedisCli.OutputAsync(Port(1), null, "CLUSTER", "GETKEYSINSLOT", slot, "100")).Split('\n');
        Assert.All(all, k => Assert.Equal(int.Parse(slot, CultureInfo.InvariantCulture), KeySlot.Of(System.Text.Encoding.UTF8.GetBytes(k))));
        Assert.Superset(Enumerable.Range(0, 5).Select(i => $"{{{_tag}}}:{i}").ToHashSet(), all.ToHashSet());
        Assert.Equal(all.Length.ToString(CultureInfo.InvariantCulture), await RedisCli.OutputAsync(Port(1), null, "CLUSTER", "COUNTKEYSINSLOT", slot));
        var some = (await RedisCli.OutputAsync(Port(2), null, "CLUSTER", "GETKEYSINSLOT", slot, "3")).Split('\n');
        Assert.Equal(3, some.Length);
        Assert.Subset(all.ToHashSet(), some.ToHashSet());
        Assert.Equal(all.Length, some.Concat(all).Distinct().Count());
        // No key of ours is in the next slot.
        var next = ((int.Parse(slot, CultureInfo.InvariantCulture) + 1) % KeySlot.Count).ToString(CultureInfo.InvariantCulture);
        Assert.DoesNotContain($"{{{_tag}}}:", await RedisCli.OutputAsync(Port(1), null, "CLUSTER", "GETKEYSINSLOT", next, "100"));
    }

    [Fact]
    public async Task Redis_benchmark_in_cluster_mode_runs_without_errors()
    {
        await SettledAsync();
        var info = new ProcessStartInfo("/usr/bin/redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", Port(0).ToString(CultureInfo.InvariantCulture), "--cluster", "-t", "set,get", "-n", "2000", "-q" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        var output = (await stdout) + (await stderr);
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("Cluster has 3 master nodes", output);
        Assert.Matches(@"SET: [\d.]+ requests per second", output);
        Assert.Matches(@"GET: [\d.]+ requests per second", output);
        Assert.DoesNotContain("rror", output);
    }
}
