using System.CommandLine;
using System.Diagnostics;
using DistCache.Client;
using DistCache.Client.NearCache;
using DistCache.Host.Cli;
using DistCache.Protocol;

namespace DistCache.Host.Bench;

/// <summary>`bench-invalidation`: how long after a write is acknowledged another client's near cache drops the key.
/// Two clients in this process (one clock), each entering through its own contact: the reader caches the key, the
/// writer overwrites it, and the time from the writer's acknowledgement to the reader's drop is recorded (negative:
/// the invalidation arrived before the acknowledgement). Bounded by --rounds and --seconds.</summary>
public static class InvalidationBenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench-invalidation", "Time from a write's acknowledgement to another client's near cache dropping the key (p50/p99).");
        var writer = new Option<string>("--writer") { Description = "host:port the writing client enters through.", DefaultValueFactory = _ => "127.0.0.1:4053" };
        var reader = new Option<string>("--reader") { Description = "host:port the reading client enters through.", DefaultValueFactory = _ => "127.0.0.1:4053" };
        var rounds = new Option<int>("--rounds") { Description = "Writes to time.", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this long.", DefaultValueFactory = _ => 120 };
        foreach (var option in new Option[] { writer, reader, rounds, seconds })
            command.Options.Add(option);
        command.SetAction(async (result, cancellation) =>
        {
            static DistCacheClient Connect(string contact) => new(new DistCacheClientOptions { ContactPoints = [contact], NearCache = new NearCacheOptions() });
            await using var writing = Connect(result.GetValue(writer)!);
            await using var reading = Connect(result.GetValue(reader)!);
            var dropped = new Dictionary<CacheKey, TaskCompletionSource<long>>();
            reading.NearCacheDropped += keys =>
            {
                var now = Stopwatch.GetTimestamp();
                lock (dropped)
                {
                    foreach (var (key, waiter) in dropped)
                        if (keys is null || keys.Contains(key))
                            waiter.TrySetResult(keys is null ? long.MinValue : now);
                }
            };
            var latencies = new List<double>();
            var missed = 0;
            var clock = Stopwatch.StartNew();
            var limit = TimeSpan.FromSeconds(result.GetValue(seconds));
            for (var round = 0; round < result.GetValue(rounds) && clock.Elapsed < limit && !cancellation.IsCancellationRequested; round++)
            {
                var key = CacheKey.FromString($"bench-invalidation:{round % 100}");
                await writing.SetAsync(key, "old");
                // Cached once a read of it is served in the process.
                var cached = false;
                for (var attempt = 0; attempt < 500 && !cached; attempt++)
                {
                    var hits = reading.NearCacheReads!.Value.Hits;
                    await reading.GetRawAsync(key);
                    cached = reading.NearCacheReads!.Value.Hits > hits;
                    if (!cached)
                        await Task.Delay(5, cancellation);
                }
                if (!cached)
                    continue;
                var waiter = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (dropped)
                    dropped[key] = waiter;
                await writing.SetAsync(key, "new");
                var acknowledged = Stopwatch.GetTimestamp();
                try
                {
                    var at = await waiter.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellation);
                    if (at != long.MinValue)
                        latencies.Add((at - acknowledged) * 1000.0 / Stopwatch.Frequency);
                    else
                        missed++; // everything dropped (the proof lapsed): not a key's invalidation
                }
                catch (TimeoutException)
                {
                    missed++;
                }
                lock (dropped)
                    dropped.Remove(key);
            }
            latencies.Sort();
            double At(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
            await Console.Out.WriteLineAsync(
                $"invalidation after acknowledgement: rounds {latencies.Count}, missed {missed}, p50 {At(0.5):0.00} ms, p99 {At(0.99):0.00} ms, max {At(1):0.00} ms, min {At(0):0.00} ms");
            return latencies.Count > 0 ? 0 : 1;
        });
        return command;
    }
}
