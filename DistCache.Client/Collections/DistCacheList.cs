using DistCache.Protocol;

namespace DistCache.Client.Collections;

/// <summary>A typed handle on one list key: <c>cache.List&lt;T&gt;(key)</c>. Elements go through
/// <see cref="ElementCodec"/>, as a <see cref="DistCacheHash{T}"/>'s values do, so a <c>List&lt;long&gt;</c> holds the
/// digits redis-cli shows and a list of records holds one JSON document per element. The handle holds no state:
/// every call is one request, a write exactly-once on retry (a retried pop returns what it popped the first time);
/// a key holding another type throws <see cref="WrongTypeException"/>, an element that cannot be read as
/// <typeparamref name="T"/> <see cref="ValueTypeMismatchException"/> (after a pop too: the element is decoded
/// here, once the partition has removed it, so a pop of the wrong type loses it, as with any Redis client).</summary>
public sealed class DistCacheList<T>
{
    private readonly DistCacheClient _client;

    internal DistCacheList(DistCacheClient client, CacheKey key)
    {
        _client = client;
        Key = key;
    }

    public CacheKey Key { get; }

    /// <summary>LPUSH of one element; returns the length after.</summary>
    public Task<long> LeftPushAsync(T value) => PushAsync([value], left: true, ifExists: false);

    /// <summary>LPUSH: pushes the values at the head one by one (the last ends up first); returns the length after.</summary>
    public Task<long> LeftPushAsync(IEnumerable<T> values) => PushAsync(values, left: true, ifExists: false);

    /// <summary>RPUSH of one element; returns the length after.</summary>
    public Task<long> RightPushAsync(T value) => PushAsync([value], left: false, ifExists: false);

    /// <summary>RPUSH: appends the values at the tail; returns the length after.</summary>
    public Task<long> RightPushAsync(IEnumerable<T> values) => PushAsync(values, left: false, ifExists: false);

    /// <summary>LPUSHX: as LPUSH only when the list exists; 0 (and no list) otherwise.</summary>
    public Task<long> LeftPushIfExistsAsync(IEnumerable<T> values) => PushAsync(values, left: true, ifExists: true);

    /// <summary>RPUSHX: as RPUSH only when the list exists; 0 (and no list) otherwise.</summary>
    public Task<long> RightPushIfExistsAsync(IEnumerable<T> values) => PushAsync(values, left: false, ifExists: true);

    /// <summary>LPOP: the first element, removed, or not found when the list is missing.</summary>
    public Task<(bool Found, T? Value)> TryLeftPopAsync() => PopOneAsync(left: true);

    /// <summary>RPOP: the last element, removed, or not found when the list is missing.</summary>
    public Task<(bool Found, T? Value)> TryRightPopAsync() => PopOneAsync(left: false);

    /// <summary>LPOP: the first element, removed; default when the list is missing (for a list of numbers,
    /// <see cref="TryLeftPopAsync"/> tells a popped 0 from none).</summary>
    public async Task<T?> LeftPopAsync() => (await PopOneAsync(left: true).ConfigureAwait(false)).Value;

    /// <summary>RPOP: the last element, removed; default when the list is missing.</summary>
    public async Task<T?> RightPopAsync() => (await PopOneAsync(left: false).ConfigureAwait(false)).Value;

    /// <summary>LPOP with a count: up to <paramref name="count"/> elements from the head; empty when the list is missing.</summary>
    public Task<T[]> LeftPopAsync(long count) => PopManyAsync(left: true, count);

    /// <summary>RPOP with a count: up to <paramref name="count"/> elements from the tail, the last first.</summary>
    public Task<T[]> RightPopAsync(long count) => PopManyAsync(left: false, count);

    /// <summary>LLEN: the length, 0 for a missing key.</summary>
    public async Task<long> LengthAsync() => Replies.Expect<CounterValue>(await _client.ExecuteAsync(new ListLength(Key)).ConfigureAwait(false)).Value;

    /// <summary>LINDEX: the element at <paramref name="index"/> (negative from the tail), or not found past either end.</summary>
    public async Task<(bool Found, T? Value)> TryGetByIndexAsync(long index) =>
        Optional(Replies.Expect<Found>(await _client.ExecuteAsync(new ListIndex(Key, index)).ConfigureAwait(false)));

    /// <summary>LINDEX: the element at <paramref name="index"/>; default past either end.</summary>
    public async Task<T?> GetByIndexAsync(long index) => (await TryGetByIndexAsync(index).ConfigureAwait(false)).Value;

    /// <summary>LSET: throws for a missing key (<see cref="CacheErrorCode.NoSuchKey"/>) or an index out of range.</summary>
    public async Task SetByIndexAsync(long index, T value) =>
        Replies.Expect<Stored>(await _client.ExecuteAsync(new ListSetIndex(Key, index, ElementCodec.Encode(value))).ConfigureAwait(false));

    /// <summary>LRANGE: the elements from <paramref name="start"/> to <paramref name="stop"/> inclusive (negative from
    /// the tail). One reply: mind the size of a long list.</summary>
    public async Task<T[]> RangeAsync(long start = 0, long stop = -1) =>
        Decode(Replies.Expect<ListItems>(await _client.ExecuteAsync(new ListRange(Key, start, stop)).ConfigureAwait(false)).Items);

    /// <summary>LTRIM: keeps only <paramref name="start"/>..<paramref name="stop"/> (an empty range deletes the key).</summary>
    public async Task TrimAsync(long start, long stop) =>
        Replies.Expect<Stored>(await _client.ExecuteAsync(new ListTrim(Key, start, stop)).ConfigureAwait(false));

    /// <summary>LREM: removes up to |<paramref name="count"/>| elements equal to <paramref name="value"/> (from the
    /// tail when negative, all when 0); returns how many. Equal means the same encoded bytes.</summary>
    public async Task<long> RemoveAsync(T value, long count = 0) =>
        Replies.Expect<CounterValue>(await _client.ExecuteAsync(new ListRemove(Key, count, ElementCodec.Encode(value))).ConfigureAwait(false)).Value;

    /// <summary>LINSERT BEFORE: the length after, -1 when the pivot is missing, 0 when the list is.</summary>
    public Task<long> InsertBeforeAsync(T pivot, T value) => InsertAsync(before: true, pivot, value);

    /// <summary>LINSERT AFTER: the length after, -1 when the pivot is missing, 0 when the list is.</summary>
    public Task<long> InsertAfterAsync(T pivot, T value) => InsertAsync(before: false, pivot, value);

    /// <summary>LPOS: the index of the <paramref name="rank"/>th element equal to <paramref name="value"/> (negative:
    /// from the tail), looking at no more than <paramref name="maxLength"/> elements (0: all); -1 when there is none.</summary>
    public async Task<long> PositionAsync(T value, long rank = 1, long maxLength = 0) =>
        Replies.Expect<ListPositions>(await _client.ExecuteAsync(new ListPosition(Key, ElementCodec.Encode(value), rank, 1, maxLength)).ConfigureAwait(false))
            .Positions is [var first, ..] ? first : -1;

    /// <summary>BLPOP on this list: the first element once there is one, waiting in the partition; not found when
    /// <paramref name="timeout"/> passes (null: wait for ever). Cancelled, it stops waiting there, takes nothing and
    /// throws <see cref="OperationCanceledException"/>.</summary>
    public Task<(bool Found, T? Value)> BlockingLeftPopAsync(TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        BlockingPopAsync(left: true, timeout, cancellationToken);

    /// <summary>BRPOP on this list: as <see cref="BlockingLeftPopAsync"/>, from the tail.</summary>
    public Task<(bool Found, T? Value)> BlockingRightPopAsync(TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        BlockingPopAsync(left: false, timeout, cancellationToken);

    private async Task<long> PushAsync(IEnumerable<T> values, bool left, bool ifExists)
    {
        ArgumentNullException.ThrowIfNull(values);
        var elements = values.Select(ElementCodec.Encode).ToArray();
        return Replies.Expect<CounterValue>(await _client.ExecuteAsync(new ListPush(Key, elements, left, ifExists)).ConfigureAwait(false)).Value;
    }

    private async Task<(bool Found, T? Value)> PopOneAsync(bool left) =>
        Optional(Replies.Expect<Found>(await _client.ExecuteAsync(new ListPop(Key, left)).ConfigureAwait(false)));

    private async Task<T[]> PopManyAsync(bool left, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Decode(Replies.Expect<ListItems>(await _client.ExecuteAsync(new ListPop(Key, left, count)).ConfigureAwait(false)).Items);
    }

    private async Task<long> InsertAsync(bool before, T pivot, T value) =>
        Replies.Expect<CounterValue>(await _client.ExecuteAsync(new ListInsert(Key, before, ElementCodec.Encode(pivot), ElementCodec.Encode(value))).ConfigureAwait(false)).Value;

    // The same BlockingCall as BLPOP and BRPOP on one key (DistCacheBlockingCommands), so it waits the same way.
    private async Task<(bool Found, T? Value)> BlockingPopAsync(bool left, TimeSpan? timeout, CancellationToken cancellationToken) =>
        await DistCacheBlockingCommands.WaitAsync(_client, new ListMultiPop([Key], left), [Key], timeout, cancellationToken).ConfigureAwait(false) switch
        {
            null => (false, default),
            KeyedListItems { Items: [var first, ..] } => (true, ElementCodec.Decode<T>(first)),
            var reply => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
        };

    private static (bool Found, T? Value) Optional(Found found) =>
        found.Value is { } value ? (true, ElementCodec.Decode<T>(value.Data)) : (false, default);

    private static T[] Decode(byte[][]? items) => items is null ? [] : items.Select(ElementCodec.Decode<T>).ToArray();
}
