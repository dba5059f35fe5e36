using System.Text;
using StackExchange.Redis;

namespace DistCache.Tests.Resp.Fuzz;

/// <summary>Keys written before the fuzz run and read back after it, which nothing the fuzzer may send can
/// change: text and binary values (NUL, CR LF, bytes over 127), one binary name, one empty value, and one key
/// with a TTL a month away. The same every run, whatever the seed.</summary>
public static class CanaryKeys
{
    public const string Prefix = "canary:";

    private static readonly TimeSpan Ttl = TimeSpan.FromDays(30);

    private static readonly byte[] TtlKey = Encoding.ASCII.GetBytes(Prefix + "ttl");

    public static readonly IReadOnlyList<(byte[] Key, byte[] Value)> All = Build();

    public static async Task WriteAsync(IDatabase db)
    {
        foreach (var (key, value) in All)
            Assert.True(key.AsSpan().SequenceEqual(TtlKey) ? await db.StringSetAsync(key, value, Ttl) : await db.StringSetAsync(key, value));
    }

    /// <summary>Every way the canaries differ from what was written, empty when none does: a value, a TTL
    /// gained or lost, or a key under the prefix that was not written.</summary>
    public static async Task<List<string>> DifferencesAsync(IDatabase db, IServer server)
    {
        var differences = new List<string>();
        foreach (var (key, value) in All)
        {
            var name = Encoding.Latin1.GetString(key).ReplaceLineEndings("\\n");
            var stored = (byte[]?)await db.StringGetAsync(key);
            if (stored is null || !stored.AsSpan().SequenceEqual(value))
                differences.Add($"{name}: value {(stored is null ? "missing" : Convert.ToHexString(stored))}, expected {Convert.ToHexString(value)}");
            var ttl = await db.KeyTimeToLiveAsync(key);
            var expectsTtl = key.AsSpan().SequenceEqual(TtlKey);
            if (expectsTtl && (ttl is not { } left || left <= TimeSpan.Zero || left > Ttl))
                differences.Add($"{name}: TTL {ttl?.ToString() ?? "none"}, expected at most {Ttl}");
            if (!expectsTtl && ttl is not null)
                differences.Add($"{name}: TTL {ttl}, expected none");
        }
        var keys = 0;
        await foreach (var _ in server.KeysAsync(pattern: Prefix + "*", pageSize: 100))
            keys++;
        if (keys != All.Count)
            differences.Add($"{keys} keys under {Prefix}, expected {All.Count}");
        return differences;
    }

    private static List<(byte[] Key, byte[] Value)> Build()
    {
        var random = new Random(50);
        var canaries = new List<(byte[], byte[])>();
        for (var i = 0; i < 40; i++)
            canaries.Add((Encoding.ASCII.GetBytes($"{Prefix}{i}"), Encoding.ASCII.GetBytes($"value-{i}-" + new string((char)('a' + i % 26), i * 7))));
        canaries.Add((Encoding.ASCII.GetBytes(Prefix + "empty"), []));
        for (var i = 0; i < 7; i++)
        {
            var value = new byte[random.Next(16, 4096)];
            random.NextBytes(value);
            "\0\r\n\xff"u8.CopyTo(value);
            canaries.Add((Encoding.ASCII.GetBytes($"{Prefix}binary:{i}"), value));
        }
        canaries.Add(([.. Encoding.ASCII.GetBytes(Prefix), 0, 13, 10, 0xff, 0x80], "binary name"u8.ToArray()));
        canaries.Add((TtlKey, "expires in a month"u8.ToArray()));
        return canaries;
    }
}
