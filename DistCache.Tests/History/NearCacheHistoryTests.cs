using System.Diagnostics;
using System.Text.Json;
using DistCache.Client.NearCache;
using DistCache.Host.Cli;
using DistCache.Tests.Support;
using Xunit.Abstractions;

namespace DistCache.Tests.History;

/// <summary>The near cache's bound under kill -9 (issue 24, item 4): three node processes, three client processes
/// with near caches reading and writing the same keys, each entering through another node; the node one of them
/// entered through is killed with SIGKILL and started again on its port. Every operation is recorded, and the
/// merged history is checked for any read older than the bound.</summary>
public sealed class NearCacheHistoryTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _data = new();
    private readonly List<HostProcess> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts)
            host.Dispose();
        _data.Dispose();
    }

    private async Task<HostProcess> StartAsync(int port, int seedPort)
    {
        var config = Path.Combine(_data.Path, "fast.conf");
        File.WriteAllText(config, """
            akka.cluster.split-brain-resolver.stable-after = 3s
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
            akka.cluster.down-removal-margin = 1s
            """);
        var host = HostProcess.Start(port, _data.Path, "--seed", $"127.0.0.1:{seedPort}", "--config", config);
        _hosts.Add(host);
        await host.WaitUntilReadyAsync();
        return host;
    }

    [Fact]
    public async Task No_read_through_a_near_cache_is_older_than_the_bound_across_a_kill_9()
    {
        var ports = new[] { FreePort.Next(), FreePort.Next(), FreePort.Next() };
        foreach (var port in ports)
            await StartAsync(port, ports[0]);

        var prefix = "nch" + Guid.NewGuid().ToString("N")[..6];
        var files = Enumerable.Range(0, 3).Select(i => Path.Combine(_data.Path, $"history-{i}.jsonl")).ToArray();
        var clock = Stopwatch.StartNew();
        var workloads = Enumerable.Range(0, 3).Select(i => HostProcess.RunCliAsync("near-cache-workload",
            "--contact", $"127.0.0.1:{ports[i]}", "--id", (i + 1).ToString(), "--prefix", prefix, "--keys", "6",
            "--seconds", "32", "--out", files[i])).ToArray();

        // Node 1 (the one the second client entered through) dies mid-run and comes back on its port.
        await Task.Delay(TimeSpan.FromSeconds(13));
        var killedAt = Stopwatch.GetTimestamp();
        _hosts[1].Kill9();
        output.WriteLine($"kill -9 of node 1 at {clock.Elapsed.TotalSeconds:0.0} s");
        await Task.Delay(TimeSpan.FromSeconds(6));
        await StartAsync(ports[1], ports[0]);
        output.WriteLine($"node 1 up again at {clock.Elapsed.TotalSeconds:0.0} s");

        foreach (var (workload, i) in workloads.Select((w, i) => (w, i)))
        {
            var result = await workload;
            output.WriteLine($"client {i + 1}: {result.Stdout} {result.Stderr}");
            Assert.Equal(0, result.ExitCode);
        }

        var operations = files.SelectMany(File.ReadAllLines).Select(l => JsonSerializer.Deserialize<NearCacheOperation>(l)!).ToList();
        var reads = operations.Where(o => o.Kind == "r" && o.Ok).ToList();
        var hits = reads.Count(o => o.Hit);
        output.WriteLine($"{operations.Count} operations, {reads.Count} reads answered ({hits} from a near cache), " +
                         $"{operations.Count(o => !o.Ok)} failed; {reads.Count(o => o.Invoked < killedAt)} reads before the kill, {reads.Count(o => o.Invoked > killedAt)} after ({reads.Count(o => o.Hit && o.Invoked > killedAt)} from a near cache)");

        var bound = (long)(new NearCacheOptions().MaxStaleness.TotalSeconds * Stopwatch.Frequency);
        var stale = NearCacheStalenessCheck.Find(operations, bound);
        foreach (var s in stale.Take(10))
            output.WriteLine($"STALE: {s.Why}: read {s.Read.Value} of {s.Read.Key} at {s.Read.Invoked} (hit {s.Read.Hit}); overwritten by {s.Overwriter}");
        Assert.Empty(stale);
        // The near caches served, before and after the kill: the check was not vacuous.
        Assert.True(hits > reads.Count / 4, $"only {hits} of {reads.Count} reads came from a near cache");
        Assert.Contains(reads, o => o.Hit && o.Invoked < killedAt);
        Assert.Contains(reads, o => o.Hit && o.Invoked > killedAt + 5 * Stopwatch.Frequency);
    }
}
