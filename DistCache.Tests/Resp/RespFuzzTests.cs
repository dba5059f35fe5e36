using System.Diagnostics;
using System.Text;
using DistCache.Tests.Resp.Fuzz;
using DistCache.Tests.Support;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace DistCache.Tests.Resp;

/// <summary>A bounded fuzz run of the Redis protocol endpoint (issue 21, item 9): a real host with a password,
/// a few connections sending mutated and random frames, some after AUTH and some as strangers, and then the
/// node must be up, answer at once, and hold exactly the canary keys written before. An earlier manual run
/// (120 s, 323,863 frames) found nothing; this keeps it so.</summary>
public sealed class RespFuzzTests(ITestOutputHelper output) : IDisposable
{
    // No forbidden word in it (ForbiddenWords), so AUTH frames are never screened out.
    private const string Password = "fuzz-pw-4417";
    private const int Connections = 3;
    // A bound even on a machine far faster than CI; the manual run averaged 2,700 frames a second.
    private const long MaxFrames = 1_000_000;
    // Far below what even a loaded CI runner sends: fewer means the fuzzer, not the node, stopped.
    private const int MinFramesPerSecond = 50;
    // The node's working set may grow with the fuzz keys, buffers and JIT, not with every frame.
    private const long MaxGrowthBytes = 512L * 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Mutated_frames_neither_crash_nor_hang_the_node_nor_change_a_stored_key()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DISTCACHE_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next(1, 1_000_000);
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("DISTCACHE_FUZZ_SECONDS"), out var fixedSeconds) && fixedSeconds > 0 ? fixedSeconds : 20;
        Log($"seed {seed} (DISTCACHE_FUZZ_SEED={seed} sends each connection the same frames again), {seconds} s (DISTCACHE_FUZZ_SECONDS)");

        var passwordFile = Path.Combine(_data.Path, "requirepass");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        var respPort = FreePort.Next();
        using var host = HostProcess.Start(FreePort.Next(), Path.Combine(_data.Path, "data"),
            "--resp-port", respPort.ToString(), "--resp-password-file", passwordFile);
        await host.WaitUntilReadyAsync();
        await using (var redis = await ConnectAsync(respPort))
            await CanaryKeys.WriteAsync(redis.GetDatabase());
        var memoryBefore = WorkingSet(host);

        var fuzzers = Enumerable.Range(0, Connections)
            .Select(i => new FuzzConnection(respPort, new RespFrameMutator(new Random(unchecked(seed * 31 + i)), Password), new Random(unchecked(seed * 37 + i))))
            .ToArray();
        using var stopWatching = new CancellationTokenSource();
        var watching = WatchAsync(respPort, stopWatching.Token);
        var until = DateTime.UtcNow.AddSeconds(seconds);
        // Each connection ends by the deadline plus at most a send's and a close's patience.
        await Task.WhenAll(fuzzers.Select(f => Task.Run(() => f.RunAsync(until, MaxFrames / Connections))))
            .WaitAsync(TimeSpan.FromSeconds(seconds) + 3 * FuzzConnection.Patience);
        await stopWatching.CancelAsync();
        var slowestPing = await watching;

        var frames = fuzzers.Sum(f => f.Frames);
        Log($"{frames} frames on {fuzzers.Sum(f => f.Connections)} connections ({fuzzers.Sum(f => f.ClosedByNode)} closed by the node first), " +
            $"{fuzzers.Sum(f => f.Screened)} screened out, {fuzzers.Sum(f => f.BytesReceived)} bytes of replies; slowest PING meanwhile " +
            $"{slowestPing.TotalMilliseconds:0} ms; working set {memoryBefore >> 20} MiB before, {WorkingSet(host) >> 20} MiB after");
        var hangs = fuzzers.SelectMany(f => f.Hangs).ToList();
        Assert.True(hangs.Count == 0, $"seed {seed}: the node hung:\n" + string.Join("\n\n", hangs));
        Assert.True(frames >= MinFramesPerSecond * seconds, $"seed {seed}: only {frames} frames sent in {seconds} s");
        Assert.False(host.HasExited, $"seed {seed}: the node exited:\n{Tail(host.Output)}");

        // A fresh client is served at once, then every canary is as it was written.
        const string Served = "+OK\r\n+PONG\r\n$8\r\nvalue-0-\r\n";
        Assert.Equal(Served, await AuthPingGetAsync(respPort, Served.Length));
        await using (var redis = await ConnectAsync(respPort))
        {
            var differences = await CanaryKeys.DifferencesAsync(redis.GetDatabase(), redis.GetServers()[0]);
            Assert.True(differences.Count == 0, $"seed {seed}: canary keys changed:\n" + string.Join("\n", differences));
            // Fuzz keys exist only if frames got past AUTH: both paths were fuzzed.
            var keys = await redis.GetServers()[0].DatabaseSizeAsync();
            Log($"{keys - CanaryKeys.All.Count} fuzz keys written");
            Assert.True(keys > CanaryKeys.All.Count, $"seed {seed}: no fuzz key was written, so no frame ran authenticated");
        }
        var errors = host.Output.Split('\n').Where(l => l.StartsWith("[ERROR]", StringComparison.Ordinal) || l.Contains("Unhandled exception")).ToList();
        Assert.True(errors.Count == 0, $"seed {seed}: the node logged errors:\n" + string.Join("\n", errors.Take(20)));
        var memoryAfter = WorkingSet(host);
        Assert.True(memoryAfter - memoryBefore < MaxGrowthBytes,
            $"seed {seed}: the node's working set grew from {memoryBefore >> 20} MiB to {memoryAfter >> 20} MiB");
    }

    /// <summary>PINGs on an authenticated connection every 200 ms while the fuzzers run; a reply slower than
    /// <see cref="Patience"/> fails the test. Returns the slowest round trip.</summary>
    private static async Task<TimeSpan> WatchAsync(int port, CancellationToken stop)
    {
        using var socket = await RawSocket.OpenAsync(port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"AUTH {Password}\r\n"));
        Assert.Equal("+OK\r\n", await RawSocket.ReadAsync(socket, 5, Patience));
        var slowest = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            await socket.SendAsync("PING\r\n"u8.ToArray());
            Assert.Equal("+PONG\r\n", await RawSocket.ReadAsync(socket, 7, Patience));
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            await Task.Delay(200, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        return slowest;
    }

    private static async Task<string> AuthPingGetAsync(int port, int length)
    {
        using var socket = await RawSocket.OpenAsync(port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"AUTH {Password}\r\nPING\r\nGET {CanaryKeys.Prefix}0\r\n"));
        return await RawSocket.ReadAsync(socket, length, Patience);
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(int port)
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port}");
        options.Password = Password;
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 30_000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    private static long WorkingSet(HostProcess host)
    {
        using var process = Process.GetProcessById(host.ProcessId);
        return process.WorkingSet64;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private void Log(string line) => output.WriteLine(line);
}
