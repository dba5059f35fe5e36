using System.Collections.Concurrent;
using System.Diagnostics;
using StackExchange.Redis;

namespace DistCache.Tests.Support;

/// <summary>SET, INCR and GET in turn on each of a set of keys through one StackExchange.Redis database,
/// sequential per key, with the last acknowledged value of every key kept as a model: INCR must return the
/// model plus one and GET the model, so a lost or stale write shows as a wrong answer. Any exception the
/// application would see is a failure too (after one, the key's value is unknown until the next read).</summary>
public sealed class KeyModelWorkload(IDatabase db, IReadOnlyList<string> keys)
{
    // Last acknowledged value per key; null before the first SET and after a failed command.
    private readonly long?[] _model = new long?[keys.Count];
    // How many commands each key has had: picks the next command, so the keys move through SET, INCR, GET.
    private readonly int[] _visits = new int[keys.Count];
    private long _operations;
    private long _slowestTicks;

    public IReadOnlyList<string> Keys => keys;

    /// <summary>Errors (with the exception) and wrong answers (without), each naming the command and the key.</summary>
    public ConcurrentQueue<Failure> Failures { get; } = new();

    public sealed record Failure(DateTime At, string Command, string Key, Exception? Error, string Text)
    {
        public override string ToString() => $"{At:HH:mm:ss.fff} {Command} {Key}: {Text}";
    }

    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>The longest a command took, retries by StackExchange.Redis included.</summary>
    public TimeSpan Slowest => TimeSpan.FromTicks(Interlocked.Read(ref _slowestTicks));

    /// <summary>Runs until <paramref name="stop"/> or either bound: <paramref name="workers"/> loops, each over its
    /// own share of the keys (so commands on one key never overlap). Returns whether it stopped on a bound.</summary>
    public async Task<bool> RunAsync(int workers, long maxOperations, TimeSpan maxTime, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var bounded = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var mine = Enumerable.Range(0, keys.Count).Where(i => i % workers == worker).ToArray();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                if (clock.Elapsed >= maxTime || Interlocked.Increment(ref _operations) > maxOperations)
                {
                    Interlocked.Exchange(ref bounded, 1);
                    return;
                }
                await StepAsync(mine[n % mine.Length]);
            }
        })));
        return bounded == 1;
    }

    /// <summary>One command on each of <paramref name="indexes"/>, one after another.</summary>
    public async Task StepAsync(IEnumerable<int> indexes)
    {
        foreach (var i in indexes)
        {
            Interlocked.Increment(ref _operations);
            await StepAsync(i);
        }
    }

    private async Task StepAsync(int i)
    {
        var key = keys[i];
        var command = _visits[i]++ % 3;
        var started = Stopwatch.GetTimestamp();
        try
        {
            switch (command)
            {
                case 0:
                    var value = Random.Shared.NextInt64(0, 1_000_000_000);
                    _model[i] = null;
                    Check(await db.StringSetAsync(key, value), "SET", key, "acknowledged");
                    _model[i] = value;
                    break;
                case 1:
                    var before = _model[i];
                    _model[i] = null;
                    var incremented = await db.StringIncrementAsync(key);
                    if (before is { } b)
                        Check(incremented == b + 1, "INCR", key, $"{b + 1}, got {incremented}");
                    _model[i] = incremented;
                    break;
                default:
                    var raw = await db.StringGetAsync(key);
                    long? read = raw.IsNull ? null : (long)raw;
                    if (_model[i] is { } expected)
                        Check(read == expected, "GET", key, $"{expected}, got {(read is null ? "nil" : read)}");
                    _model[i] = read;
                    break;
            }
        }
        catch (Exception ex)
        {
            Failures.Enqueue(new Failure(DateTime.UtcNow, command == 0 ? "SET" : command == 1 ? "INCR" : "GET", key, ex, $"{ex.GetType().Name}: {ex.Message}"));
        }
        var ticks = Stopwatch.GetElapsedTime(started).Ticks;
        for (var slowest = Interlocked.Read(ref _slowestTicks); ticks > slowest; slowest = Interlocked.Read(ref _slowestTicks))
        {
            if (Interlocked.CompareExchange(ref _slowestTicks, ticks, slowest) == slowest)
                break;
        }
    }

    private void Check(bool ok, string command, string key, string expected)
    {
        if (!ok)
            Failures.Enqueue(new Failure(DateTime.UtcNow, command, key, null, $"expected {expected}"));
    }
}
