namespace DistCache.Actors.Protocol;

/// <summary>What a partition journals. Stored with <c>StoredDataSerializer</c>, never Hyperion,
/// so the journal outlives library upgrades.</summary>
public interface ICacheEvent
{
    string Key { get; }

    Guid RequestId { get; }
}

/// <summary>The value a key now holds (INCR journals its result, so replay never re-computes).
/// <see cref="RequestId"/> lets a retried request get its original reply; <see cref="IsCounter"/> says
/// that reply was the new integer rather than OK.</summary>
public sealed record ValueWritten(string Key, CacheValue Value, Guid RequestId = default, bool IsCounter = false) : ICacheEvent;

public sealed record KeyRemoved(string Key, Guid RequestId = default) : ICacheEvent;
