using System.Diagnostics;
using System.Text.Json;

namespace DistCache.Host.Bench;

/// <summary>`bench --report-every`: the run's latencies and errors cut into intervals, each written as one JSON line
/// when it ends (requests, errors by kind, ops/s, p50/p99), so a long run (a soak) is read minute by minute from one
/// client process instead of a new process each minute, whose start-up (JIT, connections) each minute's tail would
/// measure. Workers add under their own slot's lock; <see cref="Cut"/> swaps every slot's list out.</summary>
public sealed class IntervalReport
{
    private readonly List<long>[] _slots;
    private readonly object[] _gates;
    private readonly Dictionary<string, long> _errorKinds = [];
    private long _startedTimestamp = Stopwatch.GetTimestamp();

    public IntervalReport(int workers)
    {
        _slots = Enumerable.Range(0, workers).Select(_ => new List<long>()).ToArray();
        _gates = Enumerable.Range(0, workers).Select(_ => new object()).ToArray();
    }

    public void Completed(int worker, long latencyTicks)
    {
        lock (_gates[worker])
            _slots[worker].Add(latencyTicks);
    }

    public void Failed(string kind)
    {
        lock (_errorKinds)
            _errorKinds[kind] = _errorKinds.GetValueOrDefault(kind) + 1;
    }

    /// <summary>What happened since the last cut (or the start), as the JSON line to append; the next interval starts now.</summary>
    public string Cut(string op, long nowTimestamp)
    {
        var latencies = new List<long>();
        for (var i = 0; i < _slots.Length; i++)
        {
            List<long> taken;
            lock (_gates[i])
            {
                taken = _slots[i];
                _slots[i] = new List<long>(taken.Count);
            }
            latencies.AddRange(taken);
        }
        Dictionary<string, long> kinds;
        lock (_errorKinds)
        {
            kinds = new Dictionary<string, long>(_errorKinds);
            _errorKinds.Clear();
        }
        var errors = kinds.Values.Sum();
        var elapsed = Stopwatch.GetElapsedTime(_startedTimestamp, nowTimestamp);
        _startedTimestamp = nowTimestamp;
        var stats = LatencyStats.From(op, [latencies], elapsed, errors, errorKinds: kinds);
        return JsonSerializer.Serialize(new
        {
            time_utc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), op, seconds = stats.Seconds, requests = stats.Requests, errors,
            ops_per_second = stats.OpsPerSecond, p50_ms = stats.P50Ms, p99_ms = stats.P99Ms, p999_ms = stats.P999Ms, error_kinds = kinds,
        });
    }
}
