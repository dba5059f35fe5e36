namespace DistCache.Actors.Partitions;

/// <summary>When a write is acknowledged, like Redis's appendfsync. A node-wide setting
/// (<c>distcache.durability</c>, <c>--durability</c>); a partition follows the node that hosts it.</summary>
public enum DurabilityMode
{
    /// <summary>After its event is in the journal. Writes that arrive while a journal write is in flight
    /// are written together (group commit). Survives kill -9 and a whole-cluster restart.</summary>
    Always,

    /// <summary>Once applied in memory; the event is journaled right behind (at most one journal write
    /// later). A crash may lose the writes of that last in-flight interval.</summary>
    Batched,

    /// <summary>Memory only, nothing journaled: a pure cache. A restarted or moved partition starts empty.</summary>
    None,
}

public static class DurabilityModes
{
    public static readonly string Names = "always, batched, none";

    public static DurabilityMode? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "always" => DurabilityMode.Always,
        "batched" => DurabilityMode.Batched,
        "none" => DurabilityMode.None,
        _ => null,
    };
}
