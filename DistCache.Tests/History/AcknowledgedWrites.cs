using System.Collections.Concurrent;
using System.Diagnostics;
using DistCache.Client;

namespace DistCache.Tests.History;

/// <summary>Callers that each write keys of their own, every write a new key whose value names it, and after each
/// write read back one of their earlier acknowledged keys. A write is acknowledged when SetAsync returned; from
/// then on the key must read back its value. A write that failed is an error, and its key is not expected to
/// exist. Bounded in writes per caller and stopped by a token.</summary>
public sealed class AcknowledgedWrites(DistCacheClient client, Stopwatch clock)
{
    private readonly ConcurrentDictionary<string, string> _acknowledged = new();
    private long _operations;
    private long _slowestTicks;

    public int Callers { get; init; } = 4;
    public int MaxWritesPerCaller { get; init; } = 5_000;

    /// <summary>Between a caller's writes, so the load stays a few hundred operations per second on a shared machine.</summary>
    public TimeSpan Pause { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Requests that threw (the application saw an error), with the time on the test's clock.</summary>
    public ConcurrentQueue<Failure> Errors { get; } = new();

    /// <summary>Reads of an acknowledged key that answered without its value.</summary>
    public ConcurrentQueue<Failure> WrongReads { get; } = new();

    public sealed record Failure(TimeSpan At, string Operation, string Key, string Text)
    {
        public override string ToString() => $"{At.TotalSeconds:0.0} s {Operation} {Key}: {Text}";
    }

    public IReadOnlyDictionary<string, string> Acknowledged => _acknowledged;

    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>The longest one request took, the client's retries included.</summary>
    public TimeSpan Slowest => TimeSpan.FromTicks(Interlocked.Read(ref _slowestTicks));

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(1, Callers).Select(caller => Task.Run(() => CallerAsync(caller, stop))));

    /// <summary>The acknowledged keys among <paramref name="keys"/> that do not read back their value through
    /// <paramref name="reader"/>, each with what it read or the error.</summary>
    public async Task<IReadOnlyList<(string Key, string Why)>> UnreadableAsync(DistCacheClient reader, IEnumerable<string> keys, int parallel = 16)
    {
        var unreadable = new ConcurrentBag<(string, string)>();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (key, _) =>
        {
            try
            {
                var (found, value) = await reader.TryGetAsync<string>(key);
                if (!found || value != _acknowledged[key])
                    unreadable.Add((key, found ? $"read '{value}'" : "missing"));
            }
            catch (DistCacheException e)
            {
                unreadable.Add((key, $"{e.GetType().Name}: {e.Message}"));
            }
        });
        return [.. unreadable];
    }

    private static string ValueOf(string key) => "v-" + key;

    private async Task CallerAsync(int caller, CancellationToken stop)
    {
        var random = new Random(caller);
        var mine = new List<string>();
        for (var n = 1; n <= MaxWritesPerCaller && !stop.IsCancellationRequested; n++)
        {
            var key = $"rolling:{caller}:{n}";
            if (await TimedAsync("SET", key, () => client.SetAsync(key, ValueOf(key))))
            {
                _acknowledged[key] = ValueOf(key);
                mine.Add(key);
            }
            if (mine.Count > 0)
            {
                var earlier = mine[random.Next(mine.Count)];
                await TimedAsync("GET", earlier, async () =>
                {
                    var (found, value) = await client.TryGetAsync<string>(earlier);
                    if (!found || value != ValueOf(earlier))
                        WrongReads.Enqueue(new Failure(clock.Elapsed, "GET", earlier, found ? $"read '{value}'" : "missing"));
                });
            }
            await Task.Delay(Pause, CancellationToken.None);
        }
    }

    private async Task<bool> TimedAsync(string operation, string key, Func<Task> request)
    {
        var started = Stopwatch.GetTimestamp();
        var ok = true;
        try
        {
            await request();
        }
        catch (DistCacheException e)
        {
            Errors.Enqueue(new Failure(clock.Elapsed, operation, key, $"{e.GetType().Name}: {e.Message}"));
            ok = false;
        }
        Interlocked.Increment(ref _operations);
        var ticks = Stopwatch.GetElapsedTime(started).Ticks;
        for (var slowest = Interlocked.Read(ref _slowestTicks); ticks > slowest; slowest = Interlocked.Read(ref _slowestTicks))
        {
            if (Interlocked.CompareExchange(ref _slowestTicks, ticks, slowest) == slowest)
                break;
        }
        return ok;
    }
}
