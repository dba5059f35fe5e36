namespace DistCache.Protocol;

/// <summary>LPUSH, RPUSH (<see cref="Left"/> chooses the end), LPUSHX and RPUSHX (<see cref="IfExists"/>):
/// pushes the elements one by one, so LPUSH a b c leaves c b a at the head. Replies the length after as
/// <see cref="CounterValue"/> (0 for the X forms on a missing key, which stays missing).</summary>
public sealed record ListPush(CacheKey Key, byte[][] Elements, bool Left, bool IfExists = false) : ICacheCommand, IWriteCommand;

/// <summary>LPOP and RPOP. Without <see cref="Count"/> replies <see cref="Found"/> (null: missing key); with
/// it, <see cref="ListItems"/> (null items: missing key; COUNT 0 an empty array). The popped elements are
/// the journaled reply, so a retry gets the same elements and pops nothing more.</summary>
public sealed record ListPop(CacheKey Key, bool Left, long? Count = null) : ICacheCommand, IWriteCommand;

/// <summary>LLEN: the length as <see cref="CounterValue"/>, 0 for a missing key.</summary>
public sealed record ListLength(CacheKey Key) : ICacheCommand;

/// <summary>LINDEX: the element at <see cref="Index"/> (negative counts from the tail) as <see cref="Found"/>.</summary>
public sealed record ListIndex(CacheKey Key, long Index) : ICacheCommand;

/// <summary>LSET: replies <see cref="Stored"/>; a missing key is <see cref="CacheErrorCode.NoSuchKey"/>, an
/// index past either end <see cref="CacheErrorCode.IndexOutOfRange"/>.</summary>
public sealed record ListSetIndex(CacheKey Key, long Index, byte[] Element) : ICacheCommand, IWriteCommand;

/// <summary>LRANGE: the elements from <see cref="Start"/> to <see cref="Stop"/> inclusive, as Redis clamps
/// them, as <see cref="ListItems"/>.</summary>
public sealed record ListRange(CacheKey Key, long Start, long Stop) : ICacheCommand;

/// <summary>LTRIM: keeps <see cref="Start"/>..<see cref="Stop"/>; replies <see cref="Stored"/>.</summary>
public sealed record ListTrim(CacheKey Key, long Start, long Stop) : ICacheCommand, IWriteCommand;

/// <summary>LREM: removes up to |<see cref="Count"/>| elements equal to <see cref="Element"/>, from the head
/// when positive, the tail when negative, all when 0; replies how many as <see cref="CounterValue"/>.</summary>
public sealed record ListRemove(CacheKey Key, long Count, byte[] Element) : ICacheCommand, IWriteCommand;

/// <summary>LINSERT: puts <see cref="Element"/> before or after the first <see cref="Pivot"/>; replies the
/// length after, -1 when the pivot is missing, 0 when the key is, as <see cref="CounterValue"/>.</summary>
public sealed record ListInsert(CacheKey Key, bool Before, byte[] Pivot, byte[] Element) : ICacheCommand, IWriteCommand;

/// <summary>LPOS: the indexes of <see cref="Element"/>, starting at the <see cref="Rank"/>th match (negative:
/// from the tail), at most <see cref="Count"/> of them (0: all), looking at no more than <see cref="MaxLen"/>
/// elements (0: all). Replies <see cref="ListPositions"/>.</summary>
public sealed record ListPosition(CacheKey Key, byte[] Element, long Rank = 1, long Count = 1, long MaxLen = 0) : ICacheCommand;

/// <summary>LMOVE and RPOPLPUSH: pops from <see cref="Key"/>'s end and pushes onto <see cref="Destination"/>'s,
/// atomically, so both keys must be in one partition. Replies the element as <see cref="Found"/> (null: the
/// source is missing). A source that is its destination rotates.</summary>
public sealed record ListMove(CacheKey Key, CacheKey Destination, bool FromLeft, bool ToLeft) : IMultiKeyCommand, IWriteCommand
{
    public IEnumerable<CacheKey> Keys => [Key, Destination];
}

/// <summary>LMPOP: pops up to <see cref="Count"/> elements from the first of <see cref="Lists"/> that is not
/// empty; all keys must be in one partition. Replies <see cref="KeyedListItems"/>.</summary>
public sealed record ListMultiPop(CacheKey[] Lists, bool Left, long Count = 1) : IMultiKeyCommand, IWriteCommand
{
    public CacheKey Key => Lists is [var first, ..] ? first : default;

    public IEnumerable<CacheKey> Keys => Lists;
}

/// <summary>Elements of a list; <see cref="Items"/> is null where Redis answers a nil array (a missing key).</summary>
public sealed record ListItems(byte[][]? Items) : ICacheReply;

/// <summary>The elements LMPOP popped and the key they came from; <see cref="Key"/> null when every list was empty.</summary>
public sealed record KeyedListItems(CacheKey? Key, byte[][] Items) : ICacheReply;

/// <summary>LPOS's matching indexes, in the order found.</summary>
public sealed record ListPositions(long[] Positions) : ICacheReply;
