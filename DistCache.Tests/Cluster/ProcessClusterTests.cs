using DistCache.Client;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>Real host processes sharing one journal: kill -9 of a node, then every acknowledged write is
/// readable through the survivors (transactions whole), and a whole-cluster restart brings every key back.</summary>
public sealed class ProcessClusterTests : IDisposable
{
    private const int SigTerm = 15;
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
        var host = HostProcess.Start(port, _data.Path, "--seed", $"127.0.0.1:{seedPort}",
            "--config", ShortTimingsFile());
        _hosts.Add(host);
        await host.WaitUntilReadyAsync();
        return host;
    }

    private string ShortTimingsFile()
    {
        var path = Path.Combine(_data.Path, "fast.conf");
        File.WriteAllText(path, """
            akka.cluster.split-brain-resolver.stable-after = 3s
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
            akka.cluster.down-removal-margin = 1s
            """);
        return path;
    }

    private DistCacheClient Connect(IEnumerable<int> ports) => new(new DistCacheClientOptions
    {
        ContactPoints = ports.Select(p => $"127.0.0.1:{p}").ToArray(),
        RequestTimeout = TimeSpan.FromSeconds(60),
    });

    [Fact]
    public async Task Kill_9_of_a_node_loses_no_acknowledged_write_and_a_full_restart_brings_every_key_back()
    {
        var ports = new[] { FreePort.Next(), FreePort.Next(), FreePort.Next() };
        foreach (var port in ports)
            await StartAsync(port, ports[0]);

        await using (var client = Connect(ports))
        {
            for (var i = 0; i < 300; i++)
                await client.SetAsync("key" + i, i);
            // Transactions: two counters of one slot moved together, each EXEC one journaled event.
            for (var i = 0; i < 20; i++)
            {
                var tx = client.CreateTransaction();
                _ = tx.IncrementAsync("{tx}a");
                _ = tx.IncrementAsync("{tx}b", 2);
                Assert.True(await tx.ExecuteAsync());
            }

            _hosts[1].Kill9();
            // The survivors down the dead node and recover its partitions from the shared journal.
            await using var survivors = Connect([ports[0], ports[2]]);
            for (var i = 0; i < 300; i++)
                Assert.Equal(i, await survivors.GetAsync<int>("key" + i));
            Assert.Equal((20L, 40L), (await survivors.GetAsync<long>("{tx}a"), await survivors.GetAsync<long>("{tx}b")));
            await survivors.SetAsync("after-crash", "yes");
        }

        foreach (var host in new[] { _hosts[2], _hosts[0] })
        {
            host.Signal(SigTerm);
            Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        // Whole-cluster restart on the same journal.
        foreach (var port in ports)
            await StartAsync(port, ports[0]);
        await using var restarted = Connect(ports);
        for (var i = 0; i < 300; i++)
            Assert.Equal(i, await restarted.GetAsync<int>("key" + i));
        Assert.Equal("yes", await restarted.GetAsync<string>("after-crash"));
        Assert.Equal((20L, 40L), (await restarted.GetAsync<long>("{tx}a"), await restarted.GetAsync<long>("{tx}b")));
    }

    [Fact]
    public async Task A_node_paused_past_its_downing_answers_nothing_stale_when_resumed_and_leaves()
    {
        try
        {
            await PauseAndResumeAsync();
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            // What each node logged is what explains a timeout here.
            throw new InvalidOperationException(ex.Message + "\n" + string.Join("\n", _hosts.Select((h, i) =>
                $"--- node {i + 1} (pid {h.ProcessId}), warnings and errors:\n" + string.Join("\n", h.Output.Split('\n')
                    .Where(l => l.Contains("WARN") || l.Contains("ERROR") || l.Contains("event=")).TakeLast(25).Select(l => l.Length > 240 ? l[..240] : l)))), ex);
        }
    }

    private async Task PauseAndResumeAsync()
    {
        const int SigStop = 19, SigCont = 18;
        var ports = new[] { FreePort.Next(), FreePort.Next(), FreePort.Next() };
        foreach (var port in ports)
            await StartAsync(port, ports[0]);
        var paused = _hosts[1];
        const int keys = 60;

        await using var writer = Connect(ports);
        for (var i = 0; i < keys; i++)
            await writer.SetAsync("p" + i, "old");
        // A reader that knows only the node about to be paused: after the pause it asks that node first.
        await using var reader = new DistCacheClient(new DistCacheClientOptions
        {
            ContactPoints = [paused.Contact],
            RequestTimeout = TimeSpan.FromSeconds(3),
        });
        Assert.Equal("old", await reader.GetAsync<string>("p0"));

        paused.Signal(SigStop);
        try
        {
            // Past failure detection and downing: the others take its partitions over, and writes through
            // them succeed. Bounded, and not required to finish: with SQLite, a node stopped while it held
            // the database's write lock holds up every node's writes until it runs again (README).
            using var pause = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            for (var i = 0; i < keys && !pause.IsCancellationRequested; i++)
            {
                try
                {
                    await writer.SetAsync("p" + i, "new").WaitAsync(pause.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        finally
        {
            paused.Signal(SigCont);
        }
        // Every key has its new value acknowledged from here on (a write still under way is retried by the
        // client with the same request id, so it is applied once).
        for (var i = 0; i < keys; i++)
            await writer.SetAsync("p" + i, "new");

        for (var i = 0; i < keys; i++)
        {
            try
            {
                Assert.NotEqual("old", await reader.GetAsync<string>("p" + i));
            }
            catch (DistCacheTimeoutException)
            {
                // Not answering is allowed; answering the value from before the pause is not.
            }
        }
        // It learns it was downed and leaves; its lease had lapsed while it was stopped.
        Assert.Equal(0, await paused.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("event=lease-lapsed", paused.Output);
        for (var i = 0; i < keys; i++)
            Assert.Equal("new", await writer.GetAsync<string>("p" + i));
    }
}
