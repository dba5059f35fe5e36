using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Base of every error DistCache reports to a caller. <see cref="Code"/> says why; the stored
/// data did not change.</summary>
public class DistCacheException : Exception
{
    public DistCacheException(CacheErrorCode code, string message) : base(message) => Code = code;

    public CacheErrorCode Code { get; }

    /// <summary>The exception for a rejected command, in .NET's words (the Redis endpoint words the same
    /// codes as Redis does).</summary>
    public static DistCacheException From(Rejected rejected) => rejected.Code switch
    {
        CacheErrorCode.InvalidKey => new InvalidKeyException("The key must not be null or empty."),
        CacheErrorCode.KeyTooLong => new KeyTooLongException(
            $"The key is {rejected.Size} bytes in UTF-8, over the limit of {rejected.Limit} bytes (distcache.max-key-bytes)."),
        CacheErrorCode.ValueTooLarge => new ValueTooLargeException(
            $"The value is {rejected.Size} bytes, over the limit of {rejected.Limit} bytes (distcache.max-value-bytes)."),
        CacheErrorCode.NotAnInteger => new NotAnIntegerException("The stored value is not a 64-bit integer."),
        CacheErrorCode.IntegerOverflow => new IntegerOverflowException("The increment or decrement would overflow a 64-bit integer."),
        CacheErrorCode.OutOfMemory => new OutOfMemoryLimitException(
            $"The write needs {rejected.Size} bytes in its partition, over that partition's share ({rejected.Limit} bytes) of distcache.max-memory, and the eviction policy frees nothing for it."),
        CacheErrorCode.WrongType => new WrongTypeException("The operation does not apply to the stored value's type."),
        CacheErrorCode.InvalidExpireTime => new InvalidArgumentException("The expiry must be a positive time to live or an absolute time after 1970."),
        CacheErrorCode.InvalidCursor => new InvalidArgumentException("The scan cursor is not one this cluster issued."),
        CacheErrorCode.InvalidScanCount => new InvalidArgumentException($"The scan count {rejected.Size} is not from 1 to {rejected.Limit}."),
        CacheErrorCode.InvalidArgument => new InvalidArgumentException("The request has no value (null values are not stored: delete the key instead)."),
        CacheErrorCode.UnknownCommand => new InvalidArgumentException("The cluster does not know this command."),
        CacheErrorCode.Unavailable => new DistCacheException(rejected.Code, "Some partitions did not answer in time."),
        CacheErrorCode.NotAFloat => new DistCacheException(rejected.Code, "The stored value or the increment is not a number."),
        CacheErrorCode.FloatOverflow => new DistCacheException(rejected.Code, "The increment would make the value NaN or infinite."),
        CacheErrorCode.NoSuchKey => new DistCacheException(rejected.Code, "The key does not exist."),
        CacheErrorCode.HashValueNotInteger => new DistCacheException(rejected.Code, "The hash field's value is not a 64-bit integer."),
        CacheErrorCode.HashValueNotFloat => new DistCacheException(rejected.Code, "The hash field's value is not a number."),
        CacheErrorCode.IndexOutOfRange => new DistCacheException(rejected.Code, "The index is past either end of the list."),
        CacheErrorCode.CollectionTooLong => new DistCacheException(rejected.Code,
            $"The collection would hold {rejected.Size} elements, over the limit of {rejected.Limit} (distcache.max-collection-elements)."),
        CacheErrorCode.CollectionTooLarge => new DistCacheException(rejected.Code,
            $"The collection's elements would take {rejected.Size} bytes, over the limit of {rejected.Limit} bytes (distcache.max-value-bytes)."),
        CacheErrorCode.ScoreNotANumber => new DistCacheException(rejected.Code, "The increment would make the member's score NaN (+inf plus -inf)."),
        CacheErrorCode.CrossSlot => new DistCacheException(rejected.Code, 
            "The keys are in different slots; a command on several keys is atomic only within one slot (give them one {hash tag})."),
        CacheErrorCode.NotInTransaction => new DistCacheException(rejected.Code,
            "A transaction can hold only commands on keys of one slot that run in their partition at once (not a multi-partition, blocking or nested one)."),
        _ => new DistCacheException(rejected.Code, $"The cluster rejected the request ({rejected.Code})."),
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

/// <summary>The client cannot reach the cluster at all and will not retry: a TLS handshake with a contact
/// failed (a certificate of another CA, an expired one), and Akka.Remote stopped the client's actor system.
/// Thrown at once by every call, instead of a <see cref="DistCacheTimeoutException"/> after the request timeout.</summary>
public sealed class DistCacheConnectionException(string message) : DistCacheException(CacheErrorCode.Unavailable, message);

/// <summary>The stored value cannot be read as the requested .NET type.</summary>
public sealed class ValueTypeMismatchException(string message) : DistCacheException(CacheErrorCode.WrongType, message);

/// <summary>The write would exceed the node's memory limit under the noeviction policy (or nothing is left to evict).</summary>
public sealed class OutOfMemoryLimitException(string message) : DistCacheException(CacheErrorCode.OutOfMemory, message);

/// <summary>The operation does not apply to the stored value's type (APPEND to an object, say).</summary>
public sealed class WrongTypeException(string message) : DistCacheException(CacheErrorCode.WrongType, message);

/// <summary>An argument the server cannot accept: a non-positive TTL, a bad scan cursor or count.</summary>
public sealed class InvalidArgumentException(string message) : DistCacheException(CacheErrorCode.InvalidArgument, message);
