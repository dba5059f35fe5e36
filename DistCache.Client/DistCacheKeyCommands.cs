using System.Globalization;
using System.Text;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Redis 7's string, key and expiry commands on <see cref="DistCacheClient"/>: EXPIRE's options,
/// EXPIRETIME, TOUCH, GETRANGE, SETRANGE, INCRBYFLOAT, MSETNX, RENAME, COPY and KEYS. Commands on several
/// keys (SetManyIfAbsent, Rename, Copy) are atomic and need their keys in one partition; otherwise they
/// throw a <see cref="DistCacheException"/> with <see cref="CacheErrorCode.CrossSlot"/>.</summary>
public static class DistCacheKeyCommands
{
    /// <summary>EXPIRE with NX/XX/GT/LT: true when the expiry was set (the key exists and the options allowed it).</summary>
    public static async Task<bool> ExpireAsync(this DistCacheClient client, CacheKey key, TimeSpan ttl, ExpireConditions when) =>
        Expect<Existence>(await client.ExecuteAsync(new ExpireKey(key, Expiry.After(ttl), when)).ConfigureAwait(false)).Exists;

    /// <summary>EXPIREAT with NX/XX/GT/LT.</summary>
    public static async Task<bool> ExpireAtAsync(this DistCacheClient client, CacheKey key, DateTimeOffset at, ExpireConditions when = ExpireConditions.None) =>
        Expect<Existence>(await client.ExecuteAsync(new ExpireKey(key, Expiry.At(at), when)).ConfigureAwait(false)).Exists;

    /// <summary>PEXPIRETIME: the key's expiry in Unix milliseconds, -1 when it has none, -2 when the key is missing.</summary>
    public static async Task<long> ExpireTimeAsync(this DistCacheClient client, CacheKey key) =>
        Expect<CounterValue>(await client.ExecuteAsync(new ExpireTime(key)).ConfigureAwait(false)).Value;

    /// <summary>TOUCH: whether the key exists; counts as a read of it (recency, sliding expiry).</summary>
    public static async Task<bool> TouchAsync(this DistCacheClient client, CacheKey key) =>
        Expect<Existence>(await client.ExecuteAsync(new TouchKey(key)).ConfigureAwait(false)).Exists;

    /// <summary>GETRANGE: the bytes from <paramref name="start"/> to <paramref name="end"/> inclusive
    /// (negative offsets count from the end); empty when the key is missing.</summary>
    public static async Task<byte[]> GetRangeBytesAsync(this DistCacheClient client, CacheKey key, long start, long end) =>
        Expect<Found>(await client.ExecuteAsync(new GetRange(key, start, end)).ConfigureAwait(false)).Value?.Data ?? [];

    /// <summary>GETRANGE read as UTF-8 text.</summary>
    public static async Task<string> GetRangeAsync(this DistCacheClient client, CacheKey key, long start, long end) =>
        Encoding.UTF8.GetString(await client.GetRangeBytesAsync(key, start, end).ConfigureAwait(false));

    /// <summary>SETRANGE: writes <paramref name="data"/> at byte <paramref name="offset"/> (zero-padded); returns the new length.</summary>
    public static async Task<long> SetRangeAsync(this DistCacheClient client, CacheKey key, long offset, byte[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentNullException.ThrowIfNull(data);
        return Expect<CounterValue>(await client.ExecuteAsync(new SetRange(key, offset, data)).ConfigureAwait(false)).Value;
    }

    public static Task<long> SetRangeAsync(this DistCacheClient client, CacheKey key, long offset, string text) =>
        client.SetRangeAsync(key, offset, Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))));

    /// <summary>INCRBYFLOAT: adds <paramref name="by"/> to the number at the key (a missing key is 0) and
    /// returns the result as Redis stores it (text such as "10.6").</summary>
    public static async Task<string> IncrementByFloatAsync(this DistCacheClient client, CacheKey key, double by)
    {
        if (!double.IsFinite(by))
            throw new ArgumentOutOfRangeException(nameof(by), "The increment must be a finite number.");
        var reply = Expect<Found>(await client.ExecuteAsync(new IncrementByFloat(key, by.ToString("R", CultureInfo.InvariantCulture))).ConfigureAwait(false));
        return Encoding.UTF8.GetString(reply.Value!.Data);
    }

    /// <summary>MSETNX: stores every entry only if none of the keys exists; true when stored.</summary>
    public static Task<bool> SetManyIfAbsentAsync<T>(this DistCacheClient client, IEnumerable<KeyValuePair<string, T>> entries) =>
        client.SetManyIfAbsentAsync((entries ?? throw new ArgumentNullException(nameof(entries))).Select(e => KeyValuePair.Create(CacheKey.FromString(e.Key), e.Value)));

    public static async Task<bool> SetManyIfAbsentAsync<T>(this DistCacheClient client, IEnumerable<KeyValuePair<CacheKey, T>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var encoded = entries.Select(e => new KeyedValue(e.Key, ValueCodec.Encode(e.Value))).ToArray();
        return Expect<Written>(await client.ExecuteAsync(new MultiSetIfAbsent(encoded)).ConfigureAwait(false)).Applied;
    }

    /// <summary>RENAME: the value and its expiry move to <paramref name="newKey"/>, replacing what was there.
    /// Throws <see cref="CacheErrorCode.NoSuchKey"/> when <paramref name="key"/> is missing.</summary>
    public static async Task RenameAsync(this DistCacheClient client, CacheKey key, CacheKey newKey) =>
        Expect<Stored>(await client.ExecuteAsync(new RenameKey(key, newKey)).ConfigureAwait(false));

    /// <summary>RENAMENX: renames only when <paramref name="newKey"/> does not exist; true when renamed.</summary>
    public static async Task<bool> RenameIfAbsentAsync(this DistCacheClient client, CacheKey key, CacheKey newKey) =>
        Expect<Written>(await client.ExecuteAsync(new RenameKey(key, newKey, IfAbsent: true)).ConfigureAwait(false)).Applied;

    /// <summary>COPY: copies the value and its expiry; false when the source is missing or the destination
    /// exists and <paramref name="replace"/> is false.</summary>
    public static async Task<bool> CopyAsync(this DistCacheClient client, CacheKey source, CacheKey destination, bool replace = false) =>
        Expect<Existence>(await client.ExecuteAsync(new CopyKey(source, destination, replace)).ConfigureAwait(false)).Exists;

    /// <summary>KEYS: every key matching the glob <paramref name="pattern"/> (* ? [a-z] [^a] \x), found by
    /// scanning the whole cache, so a key written or deleted meanwhile may or may not be listed. O(keys):
    /// prefer <see cref="DistCacheClient.ScanAllAsync"/> on a large cache.</summary>
    public static async Task<IReadOnlyList<string>> KeysAsync(this DistCacheClient client, string pattern = "*")
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var matching = Encoding.UTF8.GetBytes(pattern);
        var keys = new List<string>();
        var cursor = "0";
        do
        {
            var (page, next) = await client.ScanKeysAsync(cursor, 500).ConfigureAwait(false);
            foreach (var key in page)
            {
                if (KeyPattern.Matches(matching, key))
                    keys.Add(key.ToString());
            }
            cursor = next;
        }
        while (cursor != "0");
        return keys;
    }

    private static TReply Expect<TReply>(ICacheReply reply) where TReply : ICacheReply => reply switch
    {
        TReply expected => expected,
        Rejected rejected => throw DistCacheException.From(rejected),
        _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
    };
}
