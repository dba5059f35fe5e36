using System.Diagnostics;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>A store written by DistCache before slots (commit adcd405, FNV-1a placement; made by
/// LegacyStore/gen.sh: strings, counters, expiries, hashes, lists, sets, sorted sets, keys written after a
/// snapshot and left only in the journal by kill -9). A node refuses it and names the command; the command,
/// killed twice part-way and run again, keeps every key, as LegacyStore/manifest.tsv (dumped from a node of
/// that commit) records them.</summary>
public sealed class LegacyStoreTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Cluster", "LegacyStore");
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_store_from_before_slots_is_refused_then_repartitioned_with_kills_and_keeps_every_key()
    {
        File.Copy(Path.Combine(Fixture, "distcache.db"), Path.Combine(_data.Path, "distcache.db"));

        using (var refused = HostProcess.Start(FreePort.Next(), _data.Path))
        {
            Assert.Equal(2, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"DistCache.Host repartition --data {_data.Path}", refused.Output);
            Assert.Contains("FNV-1a", refused.Output);
        }

        // Killed while staging (nothing of the old partitions touched yet), then while installing.
        await RunKilledAfterAsync("repartition: staged 128/256");
        await RunKilledAfterAsync("repartition: installed 64/256");
        using (var stillRefused = HostProcess.Start(FreePort.Next(), _data.Path))
            Assert.Equal(2, await stillRefused.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var finished = await HostProcess.RunCliAsync("repartition", "--data", _data.Path);
        Assert.True(finished.ExitCode == 0, finished.Stdout + finished.Stderr);
        Assert.Contains("repartition: done: 522 keys placed by slot", finished.Stdout);
        var again = await HostProcess.RunCliAsync("repartition", "--data", _data.Path);
        Assert.Contains("already placed by slot", again.Stdout);

        var respPort = FreePort.Next();
        using var node = HostProcess.Start(FreePort.Next(), _data.Path, "--resp-port", respPort.ToString());
        await node.WaitUntilReadyAsync();
        var expected = (await File.ReadAllTextAsync(Path.Combine(Fixture, "manifest.tsv"))).Replace("\r\n", "\n");
        Assert.Equal(expected, await StoreDump.ReadAsync(respPort));

        // Keys that share a hash tag now share a slot: RENAME between them is one atomic write.
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{respPort}");
        var db = redis.GetDatabase();
        Assert.True(await db.KeyRenameAsync("{user42}:cart", "{user42}:cart-old"));
        Assert.Equal("cart", (string?)await db.StringGetAsync("{user42}:cart-old"));
    }

    private async Task RunKilledAfterAsync(string line)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { HostProcess.HostDll, "repartition", "--data", _data.Path })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } output)
        {
            seen.Add(output);
            if (output.StartsWith(line, StringComparison.Ordinal))
            {
                process.Kill(); // SIGKILL on Linux: no shutdown code runs
                break;
            }
        }
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(seen.Any(l => l.StartsWith(line, StringComparison.Ordinal)), string.Join("\n", seen) + await process.StandardError.ReadToEndAsync());
    }
}
