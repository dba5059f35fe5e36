namespace DistCache.Actors.Protocol;

/// <summary>What a partition journals. Stored with <c>StoredDataSerializer</c>, never Hyperion,
/// so the journal outlives library upgrades.</summary>
public interface ICacheEvent
{
    string Key { get; }
}

/// <summary>The value a key now holds (INCR journals its result, so replay never re-computes).</summary>
public sealed record ValueWritten(string Key, CacheValue Value) : ICacheEvent;

public sealed record KeyRemoved(string Key) : ICacheEvent;
