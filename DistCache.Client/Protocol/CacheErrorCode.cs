namespace DistCache.Protocol;

/// <summary>Why a command was rejected. Errors travel as these codes (with the sizes involved in
/// <see cref="Rejected"/>); the words are chosen at the edges: the .NET client's exceptions, the Redis
/// endpoint's error replies.</summary>
public enum CacheErrorCode : byte
{
    /// <summary>The key is null or empty.</summary>
    InvalidKey = 1,
    KeyTooLong = 2,
    ValueTooLarge = 3,
    NotAnInteger = 4,
    IntegerOverflow = 5,
    /// <summary>Some partitions did not answer a request that spans them in time.</summary>
    Unavailable = 6,
    OutOfMemory = 7,
    /// <summary>A request part that is missing (a null value, entry or key list).</summary>
    InvalidArgument = 8,
    WrongType = 9,
    /// <summary>A relative time not above zero, or an absolute one not after 1970, where a TTL is set.</summary>
    InvalidExpireTime = 10,
    InvalidCursor = 11,
    InvalidScanCount = 12,
    /// <summary>A request with no command, or one this node does not know.</summary>
    UnknownCommand = 13,
    /// <summary>The stored value or the increment is not a number (INCRBYFLOAT).</summary>
    NotAFloat = 14,
    /// <summary>The result would be NaN or infinite (INCRBYFLOAT).</summary>
    FloatOverflow = 15,
    /// <summary>A command whose keys must share a Redis Cluster slot named keys in different slots (CROSSSLOT).</summary>
    CrossSlot = 16,
    /// <summary>The key a command needs (RENAME's source) does not exist.</summary>
    NoSuchKey = 17,
    /// <summary>A collection would hold more elements than distcache.max-collection-elements allows.</summary>
    CollectionTooLong = 18,
    /// <summary>A collection's fields and values would take more bytes than distcache.max-value-bytes allows.</summary>
    CollectionTooLarge = 19,
    /// <summary>HINCRBY on a hash field whose value is not an integer.</summary>
    HashValueNotInteger = 20,
    /// <summary>HINCRBYFLOAT on a hash field whose value is not a number.</summary>
    HashValueNotFloat = 21,
    /// <summary>LSET at an index past either end of the list.</summary>
    IndexOutOfRange = 22,
    /// <summary>ZINCRBY or ZADD INCR whose result would be NaN (+inf plus -inf).</summary>
    ScoreNotANumber = 30,
    /// <summary>A transaction holds a command that cannot be part of one (it spans partitions, blocks, or nests a transaction).</summary>
    NotInTransaction = 31,
}
