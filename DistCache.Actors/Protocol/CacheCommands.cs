namespace DistCache.Actors.Protocol;

/// <summary>A request aimed at the one partition that owns <see cref="Key"/>.</summary>
public interface ICacheCommand : IDistCacheMessage
{
    string Key { get; }
}

/// <summary>A command that changes state and is therefore journaled.</summary>
public interface IWriteCommand : ICacheCommand;

public sealed record SetValue(string Key, CacheValue Value) : IWriteCommand;

public sealed record GetValue(string Key) : ICacheCommand;

public sealed record DeleteKey(string Key) : IWriteCommand;

public sealed record KeyExists(string Key) : ICacheCommand;

/// <summary>INCRBY with a signed delta; DECRBY N is sent as -N (the client rejects N = long.MinValue).</summary>
public sealed record IncrementBy(string Key, long Delta) : IWriteCommand;
