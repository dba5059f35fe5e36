using DistCache.Protocol;

namespace DistCache.Host.Resp.Tracking;

/// <summary>What a tracking connection's command means to its tracking, taken from the command's arguments when
/// it is mapped and applied when it starts: the keys it reads (remembered in the default mode) and, with NOLOOP,
/// the keys it writes.</summary>
public sealed record TrackedKeys(CacheKey[] Read, CacheKey[] Written)
{
    /// <summary>A transaction's: its queued commands' together, applied when EXEC starts.</summary>
    public static TrackedKeys? Merge(IEnumerable<TrackedKeys?> parts)
    {
        var all = parts.OfType<TrackedKeys>().ToArray();
        return all.Length == 0 ? null : new TrackedKeys([.. all.SelectMany(p => p.Read)], [.. all.SelectMany(p => p.Written)]);
    }
}
