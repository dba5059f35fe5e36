namespace DistCache.Protocol;

public interface ICacheReply : IDistCacheMessage;

public sealed record Stored : ICacheReply
{
    public static readonly Stored Instance = new();
}

/// <summary>Whether a conditional write (add, replace, SET NX/XX) applied.</summary>
public sealed record Written(bool Applied) : ICacheReply;

/// <summary>The answer to GET: <see cref="Value"/> is null when the key is missing.</summary>
public sealed record Found(CacheValue? Value) : ICacheReply;

/// <summary>GET with version; <see cref="Version"/> is 0 when the key is missing.</summary>
public sealed record FoundVersioned(CacheValue? Value, long Version) : ICacheReply;

/// <summary>The result of compare-and-set: applied or not, and the entry's version now (0 when missing).</summary>
public sealed record CasResult(bool Applied, long Version) : ICacheReply;

public sealed record Deleted(bool Existed) : ICacheReply;

/// <summary>A yes/no answer: EXISTS, EXPIRE and PERSIST (whether they changed something).</summary>
public sealed record Existence(bool Exists) : ICacheReply;

/// <summary>An integer answer: INCR/DECR's new value, APPEND's new length, counts, PTTL.</summary>
public sealed record CounterValue(long Value) : ICacheReply;

/// <summary>Live keys and, of those, the ones with an expiry (Redis's INFO keyspace `keys=` and `expires=`).</summary>
public sealed record KeyCount(long Keys, long Expires) : ICacheReply;

public sealed record Values(CacheValue?[] Items) : ICacheReply;

/// <summary>A page of keys and the cursor of the next page ("0" when the scan is complete).</summary>
public sealed record KeyPage(CacheKey[] Keys, string Cursor) : ICacheReply;

/// <summary>A page of one partition's keys; <see cref="Next"/> is null when the partition is done.</summary>
public sealed record PartPage(CacheKey[] Keys, CacheKey? Next) : ICacheReply;

/// <summary>A rejected command; nothing stored changed. For a size error, <see cref="Size"/> is what the
/// request would have needed (key or value bytes, or memory) and <see cref="Limit"/> what is allowed.</summary>
public sealed record Rejected(CacheErrorCode Code, long Size = 0, long Limit = 0) : ICacheReply;
