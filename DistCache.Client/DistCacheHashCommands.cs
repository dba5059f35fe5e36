using System.Globalization;
using System.Text;
using DistCache.Client.Collections;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Redis's hash commands on <see cref="DistCacheClient"/>, fields and values as UTF-8 text
/// (<see cref="DistCacheClient.ExecuteAsync(IClientCommand)"/> with <see cref="HashSetFields"/> and the other records of
/// <c>DistCache.Protocol</c> takes bytes). A hash write is exactly-once on retry like every write; a key
/// holding a string throws a <see cref="DistCacheException"/> with <see cref="CacheErrorCode.WrongType"/>.</summary>
public static class DistCacheHashCommands
{
    /// <summary>A typed handle on the hash at <paramref name="key"/>: its values of <typeparamref name="T"/>
    /// through <see cref="ElementCodec"/>, its fields as an <see cref="IAsyncEnumerable{T}"/> (HSCAN).</summary>
    public static DistCacheHash<T> Hash<T>(this DistCacheClient client, CacheKey key) => new(client, key);

    /// <summary>HSET: sets the fields; returns how many were added (not just changed).</summary>
    public static async Task<long> HashSetAsync(this DistCacheClient client, CacheKey key, IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var pairs = fields.Select(f => new HashField(f.Key, Encoding.UTF8.GetBytes(f.Value ?? throw new ArgumentException("A field's value must not be null.", nameof(fields))))).ToArray();
        return Expect<CounterValue>(await client.ExecuteAsync(new HashSetFields(key, pairs)).ConfigureAwait(false)).Value;
    }

    /// <summary>HSET of one field: true when it was added, false when it was changed.</summary>
    public static async Task<bool> HashSetAsync(this DistCacheClient client, CacheKey key, string field, string value) =>
        await client.HashSetAsync(key, [KeyValuePair.Create(field, value)]).ConfigureAwait(false) == 1;

    /// <summary>HSETNX: sets the field only if it is absent; true when it did.</summary>
    public static async Task<bool> HashSetIfAbsentAsync(this DistCacheClient client, CacheKey key, string field, string value) =>
        Expect<Written>(await client.ExecuteAsync(new HashSetFields(key, [new HashField(field, Encoding.UTF8.GetBytes(value))], IfAbsent: true)).ConfigureAwait(false)).Applied;

    /// <summary>HGET: the field's value, null when the field or the key is missing.</summary>
    public static async Task<string?> HashGetAsync(this DistCacheClient client, CacheKey key, string field) =>
        Expect<Values>(await client.ExecuteAsync(new HashGetFields(key, [field])).ConfigureAwait(false)).Items[0] is { } value
            ? Encoding.UTF8.GetString(value.Data)
            : null;

    /// <summary>HGETALL: every field and value (empty for a missing key).</summary>
    public static async Task<Dictionary<string, string>> HashGetAllAsync(this DistCacheClient client, CacheKey key) =>
        Expect<HashEntries>(await client.ExecuteAsync(new HashGetAll(key)).ConfigureAwait(false)).Fields
            .ToDictionary(f => f.Field.ToString(), f => Encoding.UTF8.GetString(f.Value));

    /// <summary>HDEL: removes the fields; returns how many existed. The last field's removal deletes the key.</summary>
    public static async Task<long> HashDeleteAsync(this DistCacheClient client, CacheKey key, params string[] fields) =>
        Expect<CounterValue>(await client.ExecuteAsync(new HashDeleteFields(key, fields.Select(f => (CacheKey)f).ToArray())).ConfigureAwait(false)).Value;

    /// <summary>HLEN: the number of fields, 0 for a missing key.</summary>
    public static async Task<long> HashLengthAsync(this DistCacheClient client, CacheKey key) =>
        Expect<CounterValue>(await client.ExecuteAsync(new HashLength(key)).ConfigureAwait(false)).Value;

    /// <summary>HINCRBY: adds <paramref name="by"/> to the field's integer (a missing field is 0) and returns the result.</summary>
    public static async Task<long> HashIncrementAsync(this DistCacheClient client, CacheKey key, string field, long by = 1) =>
        Expect<CounterValue>(await client.ExecuteAsync(new HashIncrementBy(key, field, by)).ConfigureAwait(false)).Value;

    /// <summary>HINCRBYFLOAT: adds <paramref name="by"/> to the field's number and returns it as Redis stores it.</summary>
    public static async Task<string> HashIncrementByFloatAsync(this DistCacheClient client, CacheKey key, string field, double by)
    {
        if (!double.IsFinite(by))
            throw new ArgumentOutOfRangeException(nameof(by), "The increment must be a finite number.");
        var reply = Expect<Found>(await client.ExecuteAsync(new HashIncrementByFloat(key, field, by.ToString("R", CultureInfo.InvariantCulture))).ConfigureAwait(false));
        return Encoding.UTF8.GetString(reply.Value!.Data);
    }

    /// <summary>TYPE: "string", "hash", or "none" for a missing key.</summary>
    public static async Task<string> TypeAsync(this DistCacheClient client, CacheKey key) =>
        Expect<KeyDescription>(await client.ExecuteAsync(new DescribeKey(key)).ConfigureAwait(false)).Type;

    private static TReply Expect<TReply>(ICacheReply reply) where TReply : ICacheReply => reply switch
    {
        TReply expected => expected,
        Rejected rejected => throw DistCacheException.From(rejected),
        _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
    };
}
