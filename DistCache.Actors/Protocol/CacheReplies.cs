namespace DistCache.Actors.Protocol;

public interface ICacheReply : IDistCacheMessage;

public sealed record Stored : ICacheReply
{
    public static readonly Stored Instance = new();
}

/// <summary>The answer to GET: <see cref="Value"/> is null when the key is missing.</summary>
public sealed record Found(CacheValue? Value) : ICacheReply;

public sealed record Deleted(bool Existed) : ICacheReply;

public sealed record Existence(bool Exists) : ICacheReply;

public sealed record CounterValue(long Value) : ICacheReply;

/// <summary>A rejected command. Nothing stored changed.</summary>
public sealed record Rejected(CacheErrorCode Code, string Message) : ICacheReply;
