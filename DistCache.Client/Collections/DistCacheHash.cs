using System.Runtime.CompilerServices;
using DistCache.Protocol;

namespace DistCache.Client.Collections;

/// <summary>A typed handle on one hash key: <c>cache.Hash&lt;T&gt;(key)</c>. Field names are text; values go
/// through <see cref="ElementCodec"/>, so strings and numbers are what redis-cli shows (HINCRBY works on a
/// <c>Hash&lt;long&gt;</c>'s fields) and records are JSON. The handle holds no state: every call is one request,
/// exactly-once on retry like every write; a key holding another type throws <see cref="WrongTypeException"/>.</summary>
public sealed class DistCacheHash<T>
{
    private readonly DistCacheClient _client;

    internal DistCacheHash(DistCacheClient client, CacheKey key)
    {
        _client = client;
        Key = key;
    }

    public CacheKey Key { get; }

    /// <summary>HSET of one field: true when the field was added, false when its value was replaced.</summary>
    public async Task<bool> SetAsync(string field, T value) => await SetAsync([KeyValuePair.Create(field, value)]).ConfigureAwait(false) == 1;

    /// <summary>HSET: sets the fields in one write; returns how many were added.</summary>
    public async Task<long> SetAsync(IEnumerable<KeyValuePair<string, T>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var pairs = fields.Select(f => new HashField(f.Key, ElementCodec.Encode(f.Value))).ToArray();
        return Replies.Expect<CounterValue>(await _client.ExecuteAsync(new HashSetFields(Key, pairs)).ConfigureAwait(false)).Value;
    }

    /// <summary>HSETNX: sets the field only if it is absent; true when it did.</summary>
    public async Task<bool> AddAsync(string field, T value) =>
        Replies.Expect<Written>(await _client.ExecuteAsync(new HashSetFields(Key, [new HashField(field, ElementCodec.Encode(value))], IfAbsent: true)).ConfigureAwait(false)).Applied;

    /// <summary>HGET: the field's value, or not found (a missing field or key).</summary>
    public async Task<(bool Found, T? Value)> TryGetAsync(string field)
    {
        var value = (await GetManyRawAsync([field]).ConfigureAwait(false))[0];
        return value is null ? (false, default) : (true, ElementCodec.Decode<T>(value));
    }

    /// <summary>HGET: the field's value, default when the field or the key is missing.</summary>
    public async Task<T?> GetAsync(string field) => (await TryGetAsync(field).ConfigureAwait(false)).Value;

    /// <summary>HMGET: the values of the fields in order, default where missing.</summary>
    public async Task<IReadOnlyList<T?>> GetManyAsync(params string[] fields) =>
        (await GetManyRawAsync(fields).ConfigureAwait(false)).Select(v => v is null ? default : ElementCodec.Decode<T>(v)).ToArray();

    /// <summary>HEXISTS.</summary>
    public async Task<bool> ContainsAsync(string field) => (await GetManyRawAsync([field]).ConfigureAwait(false))[0] is not null;

    /// <summary>HGETALL: every field and its value (empty for a missing key). One reply: for a large hash, <see cref="ScanAsync"/>.</summary>
    public async Task<Dictionary<string, T>> GetAllAsync() =>
        Replies.Expect<HashEntries>(await _client.ExecuteAsync(new HashGetAll(Key)).ConfigureAwait(false)).Fields
            .ToDictionary(f => f.Field.ToString(), f => ElementCodec.Decode<T>(f.Value));

    /// <summary>HDEL: removes the fields; returns how many existed. Removing the last field deletes the key.</summary>
    public async Task<long> RemoveAsync(params string[] fields) =>
        Replies.Expect<CounterValue>(await _client.ExecuteAsync(new HashDeleteFields(Key, fields.Select(f => (CacheKey)f).ToArray())).ConfigureAwait(false)).Value;

    /// <summary>HLEN: the number of fields, 0 for a missing key.</summary>
    public async Task<long> CountAsync() => Replies.Expect<CounterValue>(await _client.ExecuteAsync(new HashLength(Key)).ConfigureAwait(false)).Value;

    /// <summary>HINCRBY on the field (a missing one counts as 0); the field must hold an integer.</summary>
    public async Task<long> IncrementAsync(string field, long by = 1) =>
        Replies.Expect<CounterValue>(await _client.ExecuteAsync(new HashIncrementBy(Key, field, by)).ConfigureAwait(false)).Value;

    /// <summary>HSCAN, page by page as the caller reads: every field present for the whole scan comes once,
    /// whatever else changes meanwhile; a field added or removed during it may or may not come (as in Redis).</summary>
    public async IAsyncEnumerable<KeyValuePair<string, T>> ScanAsync(int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        CacheKey? after = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = Replies.Expect<HashPage>(await _client.ExecuteAsync(new HashScan(Key, after, pageSize)).ConfigureAwait(false));
            foreach (var field in page.Fields)
                yield return KeyValuePair.Create(field.Field.ToString(), ElementCodec.Decode<T>(field.Value));
            after = page.Next;
        }
        while (after is not null);
    }

    private async Task<byte[]?[]> GetManyRawAsync(string[] fields) =>
        Replies.Expect<Values>(await _client.ExecuteAsync(new HashGetFields(Key, fields.Select(f => (CacheKey)f).ToArray())).ConfigureAwait(false)).Items
            .Select(v => v?.Data).ToArray();
}
