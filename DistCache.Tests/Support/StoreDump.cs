using System.Text;
using DistCache.Protocol;
using StackExchange.Redis;

namespace DistCache.Tests.Support;

/// <summary>Every key of a node, read over its Redis port, in the canonical text that
/// Cluster/LegacyStore/dump.py printed for the legacy store's manifest: one line per key in byte order,
/// hex(key) TAB type TAB PEXPIRETIME TAB the contents' hex values joined by '|'.</summary>
public static class StoreDump
{
    public static async Task<string> ReadAsync(int respPort)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{respPort},protocol=resp2");
        var db = redis.GetDatabase();
        var keys = new List<byte[]>();
        var cursor = "0";
        do
        {
            var page = (RedisResult[])(await db.ExecuteAsync("SCAN", cursor, "COUNT", 1000))!;
            cursor = (string)page[0]!;
            keys.AddRange(((RedisResult[])page[1]!).Select(k => (byte[])k!));
        } while (cursor != "0");

        var lines = new StringBuilder();
        foreach (var key in keys.Distinct(ByteComparer.Instance).OrderBy(k => new CacheKey(k)))
        {
            var type = (string)(await db.ExecuteAsync("TYPE", key))!;
            var expiry = (long)(await db.ExecuteAsync("PEXPIRETIME", key));
            byte[][] Items(RedisResult r) => ((RedisResult[])r!).Select(x => (byte[])x!).ToArray();
            byte[][] Pairs(RedisResult r)
            {
                var items = Items(r);
                return Enumerable.Range(0, items.Length / 2).Select(i => (byte[])[.. items[2 * i], (byte)'=', .. items[2 * i + 1]]).ToArray();
            }
            var contents = type switch
            {
                "string" => [(byte[])(await db.ExecuteAsync("GET", key))!],
                "hash" => Pairs(await db.ExecuteAsync("HGETALL", key)).OrderBy(b => new CacheKey(b)).ToArray(),
                "list" => Items(await db.ExecuteAsync("LRANGE", key, 0, -1)),
                "set" => Items(await db.ExecuteAsync("SMEMBERS", key)).OrderBy(b => new CacheKey(b)).ToArray(),
                "zset" => Pairs(await db.ExecuteAsync("ZRANGE", key, 0, -1, "WITHSCORES")),
                _ => throw new InvalidOperationException($"unexpected type {type}"),
            };
            lines.Append($"{Hex(key)}\t{type}\t{expiry}\t{string.Join('|', contents.Select(Hex))}\n");
        }
        return lines.ToString();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private sealed class ByteComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => new CacheKey(obj).GetHashCode();
    }
}
