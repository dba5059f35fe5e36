namespace DistCache.Protocol;

/// <summary>A command on several keys that must all live in one partition (MSETNX, RENAME, COPY): the
/// partition applies it as one journaled write, so it is atomic. Keys in different partitions are
/// rejected with <see cref="CacheErrorCode.CrossSlot"/> where the command enters the cluster.</summary>
public interface IMultiKeyCommand : ICacheCommand
{
    IEnumerable<CacheKey> Keys { get; }
}

/// <summary>EXPIRETIME/PEXPIRETIME: the key's absolute expiry in Unix ms, -1 without one, -2 when missing.</summary>
public sealed record ExpireTime(CacheKey Key) : ICacheCommand;

/// <summary>TOUCH: whether the key exists; a read of it (it becomes the most recently used, a sliding expiry slides).</summary>
public sealed record TouchKey(CacheKey Key) : ICacheCommand;

/// <summary>RENAME (<see cref="IfAbsent"/> false, replies <see cref="Stored"/>) or RENAMENX (replies
/// <see cref="Written"/>): the value and its expiry move to <see cref="NewKey"/>. A missing key is
/// rejected with <see cref="CacheErrorCode.NoSuchKey"/>.</summary>
public sealed record RenameKey(CacheKey Key, CacheKey NewKey, bool IfAbsent = false) : IMultiKeyCommand, IWriteCommand
{
    public IEnumerable<CacheKey> Keys => [Key, NewKey];
}

/// <summary>COPY: the value and its expiry copied to <see cref="Destination"/>, which is overwritten only
/// with <see cref="Replace"/>. Replies <see cref="Existence"/>: whether it copied.</summary>
public sealed record CopyKey(CacheKey Key, CacheKey Destination, bool Replace = false) : IMultiKeyCommand, IWriteCommand
{
    public IEnumerable<CacheKey> Keys => [Key, Destination];
}

/// <summary>RANDOMKEY's part: a random live key of the partition that <see cref="Key"/> (a random string,
/// never read) hashes to, so the request lands on a random partition. Replies a <see cref="PartPage"/> of
/// zero or one key.</summary>
public sealed record RandomKey(CacheKey Key) : ICacheCommand;
