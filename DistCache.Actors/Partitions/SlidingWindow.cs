namespace DistCache.Actors.Partitions;

/// <summary>A sliding expiry: every use of the key sets its expiry <see cref="WindowMs"/> ahead, never past
/// <see cref="NotAfter"/> (Unix ms, 0 for no limit).</summary>
public readonly record struct SlidingWindow(long WindowMs, long NotAfter);
