using System.Text;
using DistCache.Client.Collections;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Which end of a list: the head (Redis's LEFT) or the tail (RIGHT).</summary>
public enum ListSide
{
    Left,
    Right,
}

/// <summary>Redis's list commands on <see cref="DistCacheClient"/>, in StackExchange.Redis's naming, elements as
/// UTF-8 text (<see cref="DistCacheClient.ExecuteAsync(IClientCommand)"/> with <see cref="ListPush"/> and the other records of
/// <c>DistCache.Protocol</c> takes bytes). A list write is exactly-once on retry like every write: a retried
/// pop returns the elements it popped the first time. A key holding another type throws a
/// <see cref="DistCacheException"/> with <see cref="CacheErrorCode.WrongType"/>.</summary>
public static class DistCacheListCommands
{
    /// <summary>A typed handle on the list at <paramref name="key"/>: its elements of <typeparamref name="T"/>
    /// through <see cref="ElementCodec"/> (these methods write text; a <c>List&lt;string&gt;</c> reads and writes the same bytes).</summary>
    public static DistCacheList<T> List<T>(this DistCacheClient client, CacheKey key) => new(client, key);

    /// <summary>LPUSH: pushes the values at the head one by one (the last ends up first); returns the length after.</summary>
    public static Task<long> ListLeftPushAsync(this DistCacheClient client, CacheKey key, params string[] values) => Push(client, key, values, left: true, ifExists: false);

    /// <summary>RPUSH: appends the values at the tail; returns the length after.</summary>
    public static Task<long> ListRightPushAsync(this DistCacheClient client, CacheKey key, params string[] values) => Push(client, key, values, left: false, ifExists: false);

    /// <summary>LPUSHX: as <see cref="ListLeftPushAsync"/> only when the list exists; 0 otherwise.</summary>
    public static Task<long> ListLeftPushIfExistsAsync(this DistCacheClient client, CacheKey key, params string[] values) => Push(client, key, values, left: true, ifExists: true);

    /// <summary>RPUSHX: as <see cref="ListRightPushAsync"/> only when the list exists; 0 otherwise.</summary>
    public static Task<long> ListRightPushIfExistsAsync(this DistCacheClient client, CacheKey key, params string[] values) => Push(client, key, values, left: false, ifExists: true);

    /// <summary>LPOP: the first element, removed; null when the list is missing.</summary>
    public static Task<string?> ListLeftPopAsync(this DistCacheClient client, CacheKey key) => PopOne(client, key, left: true);

    /// <summary>RPOP: the last element, removed; null when the list is missing.</summary>
    public static Task<string?> ListRightPopAsync(this DistCacheClient client, CacheKey key) => PopOne(client, key, left: false);

    /// <summary>LPOP with a count: up to <paramref name="count"/> elements from the head; empty when the list is missing.</summary>
    public static Task<string[]> ListLeftPopAsync(this DistCacheClient client, CacheKey key, long count) => PopMany(client, key, left: true, count);

    /// <summary>RPOP with a count: up to <paramref name="count"/> elements from the tail; empty when the list is missing.</summary>
    public static Task<string[]> ListRightPopAsync(this DistCacheClient client, CacheKey key, long count) => PopMany(client, key, left: false, count);

    /// <summary>LLEN: the length, 0 for a missing key.</summary>
    public static async Task<long> ListLengthAsync(this DistCacheClient client, CacheKey key) =>
        Expect<CounterValue>(await client.ExecuteAsync(new ListLength(key)).ConfigureAwait(false)).Value;

    /// <summary>LINDEX: the element at <paramref name="index"/> (negative from the tail); null past either end.</summary>
    public static async Task<string?> ListGetByIndexAsync(this DistCacheClient client, CacheKey key, long index) =>
        Text(Expect<Found>(await client.ExecuteAsync(new ListIndex(key, index)).ConfigureAwait(false)).Value?.Data);

    /// <summary>LSET: sets the element at <paramref name="index"/>; throws for a missing key or an index out of range.</summary>
    public static async Task ListSetByIndexAsync(this DistCacheClient client, CacheKey key, long index, string value) =>
        Expect<Stored>(await client.ExecuteAsync(new ListSetIndex(key, index, Encoding.UTF8.GetBytes(value))).ConfigureAwait(false));

    /// <summary>LRANGE: the elements from <paramref name="start"/> to <paramref name="stop"/> inclusive (negative from the tail).</summary>
    public static async Task<string[]> ListRangeAsync(this DistCacheClient client, CacheKey key, long start = 0, long stop = -1) =>
        Texts(Expect<ListItems>(await client.ExecuteAsync(new ListRange(key, start, stop)).ConfigureAwait(false)).Items);

    /// <summary>LTRIM: keeps only <paramref name="start"/>..<paramref name="stop"/>.</summary>
    public static async Task ListTrimAsync(this DistCacheClient client, CacheKey key, long start, long stop) =>
        Expect<Stored>(await client.ExecuteAsync(new ListTrim(key, start, stop)).ConfigureAwait(false));

    /// <summary>LREM: removes up to |<paramref name="count"/>| elements equal to <paramref name="value"/> (from the
    /// tail when negative, all when 0); returns how many.</summary>
    public static async Task<long> ListRemoveAsync(this DistCacheClient client, CacheKey key, string value, long count = 0) =>
        Expect<CounterValue>(await client.ExecuteAsync(new ListRemove(key, count, Encoding.UTF8.GetBytes(value))).ConfigureAwait(false)).Value;

    /// <summary>LINSERT BEFORE: the length after, -1 when the pivot is missing, 0 when the list is.</summary>
    public static Task<long> ListInsertBeforeAsync(this DistCacheClient client, CacheKey key, string pivot, string value) => Insert(client, key, before: true, pivot, value);

    /// <summary>LINSERT AFTER: the length after, -1 when the pivot is missing, 0 when the list is.</summary>
    public static Task<long> ListInsertAfterAsync(this DistCacheClient client, CacheKey key, string pivot, string value) => Insert(client, key, before: false, pivot, value);

    /// <summary>LPOS: the index of the <paramref name="rank"/>th match (negative: from the tail), -1 when there is none.</summary>
    public static async Task<long> ListPositionAsync(this DistCacheClient client, CacheKey key, string element, long rank = 1, long maxLength = 0) =>
        Expect<ListPositions>(await client.ExecuteAsync(new ListPosition(key, Encoding.UTF8.GetBytes(element), rank, 1, maxLength)).ConfigureAwait(false)).Positions is [var first, ..] ? first : -1;

    /// <summary>LPOS with COUNT: up to <paramref name="count"/> matching indexes (0: all).</summary>
    public static async Task<long[]> ListPositionsAsync(this DistCacheClient client, CacheKey key, string element, long count, long rank = 1, long maxLength = 0) =>
        Expect<ListPositions>(await client.ExecuteAsync(new ListPosition(key, Encoding.UTF8.GetBytes(element), rank, count, maxLength)).ConfigureAwait(false)).Positions;

    /// <summary>LMOVE: pops from <paramref name="source"/>'s end and pushes onto <paramref name="destination"/>'s,
    /// atomically (both keys must be in one partition); the element, or null when the source is missing.</summary>
    public static async Task<string?> ListMoveAsync(this DistCacheClient client, CacheKey source, CacheKey destination, ListSide from, ListSide to) =>
        Text(Expect<Found>(await client.ExecuteAsync(new ListMove(source, destination, from == ListSide.Left, to == ListSide.Left)).ConfigureAwait(false)).Value?.Data);

    /// <summary>RPOPLPUSH: <see cref="ListMoveAsync"/> from the tail to the head.</summary>
    public static Task<string?> ListRightPopLeftPushAsync(this DistCacheClient client, CacheKey source, CacheKey destination) =>
        client.ListMoveAsync(source, destination, ListSide.Right, ListSide.Left);

    /// <summary>LMPOP: up to <paramref name="count"/> elements from the first non-empty list of <paramref name="keys"/>
    /// (all in one partition), with its key; null when every list is empty.</summary>
    public static async Task<(CacheKey Key, string[] Values)?> ListPopAsync(this DistCacheClient client, CacheKey[] keys, ListSide side, long count = 1)
    {
        var reply = Expect<KeyedListItems>(await client.ExecuteAsync(new ListMultiPop(keys, side == ListSide.Left, count)).ConfigureAwait(false));
        return reply.Key is { } key ? (key, Texts(reply.Items)) : null;
    }

    private static async Task<long> Push(DistCacheClient client, CacheKey key, string[] values, bool left, bool ifExists)
    {
        ArgumentNullException.ThrowIfNull(values);
        var elements = values.Select(v => Encoding.UTF8.GetBytes(v ?? throw new ArgumentException("An element must not be null.", nameof(values)))).ToArray();
        return Expect<CounterValue>(await client.ExecuteAsync(new ListPush(key, elements, left, ifExists)).ConfigureAwait(false)).Value;
    }

    private static async Task<string?> PopOne(DistCacheClient client, CacheKey key, bool left) =>
        Text(Expect<Found>(await client.ExecuteAsync(new ListPop(key, left)).ConfigureAwait(false)).Value?.Data);

    private static async Task<string[]> PopMany(DistCacheClient client, CacheKey key, bool left, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Texts(Expect<ListItems>(await client.ExecuteAsync(new ListPop(key, left, count)).ConfigureAwait(false)).Items);
    }

    private static async Task<long> Insert(DistCacheClient client, CacheKey key, bool before, string pivot, string value) =>
        Expect<CounterValue>(await client.ExecuteAsync(new ListInsert(key, before, Encoding.UTF8.GetBytes(pivot), Encoding.UTF8.GetBytes(value))).ConfigureAwait(false)).Value;

    private static string? Text(byte[]? data) => data is null ? null : Encoding.UTF8.GetString(data);

    private static string[] Texts(byte[][]? items) => items is null ? [] : items.Select(Encoding.UTF8.GetString).ToArray();

    private static TReply Expect<TReply>(ICacheReply reply) where TReply : ICacheReply => reply switch
    {
        TReply expected => expected,
        Rejected rejected => throw DistCacheException.From(rejected),
        _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
    };
}
