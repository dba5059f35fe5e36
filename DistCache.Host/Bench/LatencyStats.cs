using System.Diagnostics;

namespace DistCache.Host.Bench;

/// <summary>Latencies of one operation, in Stopwatch ticks, and the figures a report needs.</summary>
public sealed class LatencyStats(string operation, long[] ticks, TimeSpan elapsed, long errors)
{
    public string Operation { get; } = operation;
    public long Requests => ticks.Length;
    public long Errors { get; } = errors;
    public double Seconds { get; } = elapsed.TotalSeconds;
    public double OpsPerSecond => Seconds > 0 ? Requests / Seconds : 0;
    public double P50Ms => Percentile(0.50);
    public double P95Ms => Percentile(0.95);
    public double P99Ms => Percentile(0.99);
    public double P999Ms => Percentile(0.999);

    /// <summary>What the operation cost the node and the client; null when the node was not probed.</summary>
    public OperationCost? Cost { get; init; }

    /// <summary>The failed requests by exception type (a timeout is not a refusal).</summary>
    public IReadOnlyDictionary<string, long> ErrorKinds { get; init; } = new Dictionary<string, long>();

    /// <summary>Nearest-rank percentile; <paramref name="ticks"/> is sorted once by the caller.</summary>
    public double Percentile(double p)
    {
        if (ticks.Length == 0)
            return 0;
        var rank = (int)Math.Ceiling(p * ticks.Length) - 1;
        return ticks[Math.Clamp(rank, 0, ticks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    public static LatencyStats From(string operation, IEnumerable<List<long>> perWorker, TimeSpan elapsed, long errors, OperationCost? cost = null,
        IReadOnlyDictionary<string, long>? errorKinds = null)
    {
        var all = perWorker.SelectMany(w => w).ToArray();
        Array.Sort(all);
        return new LatencyStats(operation, all, elapsed, errors) { Cost = cost, ErrorKinds = errorKinds ?? new Dictionary<string, long>() };
    }
}
