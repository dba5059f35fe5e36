using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Base of every error DistCache reports to a caller. <see cref="Code"/> says why; the stored
/// data did not change.</summary>
public class DistCacheException : Exception
{
    public DistCacheException(CacheErrorCode code, string message) : base(message) => Code = code;

    public CacheErrorCode Code { get; }

    internal static DistCacheException From(Rejected rejected) => rejected.Code switch
    {
        CacheErrorCode.InvalidKey => new InvalidKeyException(rejected.Message),
        CacheErrorCode.KeyTooLong => new KeyTooLongException(rejected.Message),
        CacheErrorCode.ValueTooLarge => new ValueTooLargeException(rejected.Message),
        CacheErrorCode.NotAnInteger => new NotAnIntegerException(rejected.Message),
        CacheErrorCode.IntegerOverflow => new IntegerOverflowException(rejected.Message),
        CacheErrorCode.OutOfMemory => new OutOfMemoryLimitException(rejected.Message),
        CacheErrorCode.WrongType => new WrongTypeException(rejected.Message),
        CacheErrorCode.InvalidArgument => new InvalidArgumentException(rejected.Message),
        _ => new DistCacheException(rejected.Code, rejected.Message),
    };
}

/// <summary>The key is null or empty.</summary>
public sealed class InvalidKeyException(string message) : DistCacheException(CacheErrorCode.InvalidKey, message);

/// <summary>The key is longer than <c>distcache.max-key-bytes</c> in UTF-8.</summary>
public sealed class KeyTooLongException(string message) : DistCacheException(CacheErrorCode.KeyTooLong, message);

/// <summary>The encoded value is larger than <c>distcache.max-value-bytes</c>.</summary>
public sealed class ValueTooLargeException(string message) : DistCacheException(CacheErrorCode.ValueTooLarge, message);

/// <summary>INCR/DECR on a value that is not a 64-bit integer.</summary>
public sealed class NotAnIntegerException(string message) : DistCacheException(CacheErrorCode.NotAnInteger, message);

/// <summary>INCR/DECR whose result does not fit in a 64-bit integer.</summary>
public sealed class IntegerOverflowException(string message) : DistCacheException(CacheErrorCode.IntegerOverflow, message);

/// <summary>No answer within the request timeout: the cluster is unreachable or overloaded. A write that
/// timed out may or may not have been applied.</summary>
public sealed class DistCacheTimeoutException(string message) : DistCacheException(CacheErrorCode.Unavailable, message);

/// <summary>The stored value cannot be read as the requested .NET type.</summary>
public sealed class ValueTypeMismatchException(string message) : DistCacheException(CacheErrorCode.WrongType, message);

/// <summary>The write would exceed the node's memory limit under the noeviction policy (or nothing is left to evict).</summary>
public sealed class OutOfMemoryLimitException(string message) : DistCacheException(CacheErrorCode.OutOfMemory, message);

/// <summary>The operation does not apply to the stored value's type (APPEND to an object, say).</summary>
public sealed class WrongTypeException(string message) : DistCacheException(CacheErrorCode.WrongType, message);

/// <summary>An argument the server cannot accept: a non-positive TTL, a bad scan cursor or count.</summary>
public sealed class InvalidArgumentException(string message) : DistCacheException(CacheErrorCode.InvalidArgument, message);
