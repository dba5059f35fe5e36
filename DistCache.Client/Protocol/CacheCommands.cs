namespace DistCache.Protocol;

/// <summary>Anything a client asks of the cluster.</summary>
public interface IClientCommand : IDistCacheMessage;

/// <summary>A request aimed at the one partition that owns <see cref="Key"/>.</summary>
public interface ICacheCommand : IClientCommand
{
    CacheKey Key { get; }
}

/// <summary>A command that can change state and is therefore journaled (and deduplicated on retry).</summary>
public interface IWriteCommand;

/// <summary>When a SET applies: always, only if the key is absent (add / SET NX), or only if present
/// (replace / SET XX).</summary>
public enum SetCondition : byte
{
    Always = 0,
    IfAbsent = 1,
    IfPresent = 2,
}

/// <summary>SET. <see cref="Expiry"/> says what happens to the key's time to live: by default it is
/// cleared (as in Redis); <see cref="Expiry.Keep"/> is KEEPTTL. With <see cref="ReturnPrevious"/> (Redis's
/// SET … GET) the reply is the value the key had, as <see cref="Found"/>, whether or not the condition let
/// the SET apply.</summary>
public sealed record SetValue(CacheKey Key, CacheValue Value, Expiry Expiry = default, SetCondition When = SetCondition.Always,
    bool ReturnPrevious = false)
    : ICacheCommand, IWriteCommand;

/// <summary>GET. On a key with a sliding expiry the read moves the expiry on.</summary>
public sealed record GetValue(CacheKey Key) : ICacheCommand;

/// <summary>GET that also returns the entry's version, for a later <see cref="CompareAndSet"/>.</summary>
public sealed record GetWithVersion(CacheKey Key) : ICacheCommand;

/// <summary>Stores the value only if the entry still has <see cref="ExpectedVersion"/> (memcached's cas).</summary>
public sealed record CompareAndSet(CacheKey Key, CacheValue Value, long ExpectedVersion, Expiry Expiry = default) : ICacheCommand, IWriteCommand;

public sealed record DeleteKey(CacheKey Key) : ICacheCommand, IWriteCommand;

public sealed record KeyExists(CacheKey Key) : ICacheCommand;

/// <summary>INCRBY with a signed delta; DECRBY N is sent as -N (the client rejects N = long.MinValue).</summary>
public sealed record IncrementBy(CacheKey Key, long Delta) : ICacheCommand, IWriteCommand;

/// <summary>APPEND (or memcached's prepend) of raw bytes; a missing key starts empty. Replies the new length.</summary>
public sealed record AppendValue(CacheKey Key, byte[] Data, bool Prepend = false) : ICacheCommand, IWriteCommand;

/// <summary>GETSET: stores the value and replies the previous one.</summary>
public sealed record GetAndSet(CacheKey Key, CacheValue Value) : ICacheCommand, IWriteCommand;

/// <summary>GETDEL: removes the key and replies the value it had.</summary>
public sealed record GetAndDelete(CacheKey Key) : ICacheCommand, IWriteCommand;

/// <summary>EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT: a relative time not above zero, or an absolute time
/// already past, deletes the key, as in Redis. <see cref="When"/> holds the NX/XX/GT/LT options. Replies
/// whether the expiry was set (the key existed and the options allowed it).</summary>
public sealed record ExpireKey(CacheKey Key, Expiry Expiry, ExpireConditions When = ExpireConditions.None) : ICacheCommand, IWriteCommand;

/// <summary>GETEX: the value, with the key's expiry changed as <see cref="Expiry"/> says, in one step
/// (<see cref="Expiry.Keep"/> leaves it, <see cref="Expiry.Clear"/> is PERSIST).</summary>
public sealed record GetAndExpire(CacheKey Key, Expiry Expiry) : ICacheCommand, IWriteCommand;

public sealed record PersistKey(CacheKey Key) : ICacheCommand, IWriteCommand;

/// <summary>PTTL: milliseconds left, -1 without expiry, -2 when the key is missing.</summary>
public sealed record TimeToLive(CacheKey Key) : ICacheCommand;
