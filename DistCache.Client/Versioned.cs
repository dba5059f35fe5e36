namespace DistCache.Client;

/// <summary>A value with the version it had when read, for <see cref="DistCacheClient.CompareAndSetAsync{T}"/>.</summary>
public sealed record Versioned<T>(T Value, long Version);
