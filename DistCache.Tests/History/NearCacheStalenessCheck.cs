using DistCache.Host.Cli;

namespace DistCache.Tests.History;

/// <summary>Finds every read in a merged history that is older than the near cache's bound allows. A value is
/// overwritten for sure once a write invoked after that value's write completed has itself completed (it is
/// ordered after it, and every value is written once); a read invoked more than <c>bound</c> after that must not
/// return it. A read of a missing key is stale once any write of that key completed more than the bound before
/// it (the workload never deletes). A value that no operation wrote is reported too. Times are Stopwatch
/// timestamps of one machine (CLOCK_MONOTONIC, the same in every process).</summary>
public static class NearCacheStalenessCheck
{
    public sealed record StaleRead(NearCacheOperation Read, NearCacheOperation? Overwriter, string Why);

    public static List<StaleRead> Find(IReadOnlyList<NearCacheOperation> operations, long bound)
    {
        var stale = new List<StaleRead>();
        foreach (var byKey in operations.GroupBy(o => o.Key))
        {
            var writes = byKey.Where(o => o.Kind == "w").ToList();
            // Only acknowledged writes can prove a value overwritten; any write (a timed-out one may have applied) can explain a value.
            var acknowledged = writes.Where(w => w.Ok).OrderBy(w => w.Completed).ToList();
            var writtenBy = writes.Where(w => w.Value is not null).ToDictionary(w => w.Value!);
            foreach (var read in byKey.Where(o => o.Kind == "r" && o.Ok))
            {
                var horizon = read.Invoked - bound;
                if (read.Value is null)
                {
                    if (acknowledged.FirstOrDefault(w => w.Completed < horizon) is { } earlier)
                        stale.Add(new(read, earlier, "read nothing, but a write had been acknowledged before the bound"));
                    continue;
                }
                if (!writtenBy.TryGetValue(read.Value, out var source))
                {
                    stale.Add(new(read, null, "read a value nobody wrote"));
                    continue;
                }
                if (acknowledged.FirstOrDefault(w => w.Invoked > source.Completed && w.Completed < horizon) is { } overwriter)
                    stale.Add(new(read, overwriter, "read a value overwritten by a write acknowledged before the bound"));
            }
        }
        return stale;
    }
}
