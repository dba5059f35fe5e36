using DistCache.Tests.Support;
using DistCache.Wire;

namespace DistCache.Tests.Host;

/// <summary>The CLI's Redis 7 string, key and expiry subcommands against a real host process.</summary>
public sealed class KeyspaceCliTests : IDisposable
{
    // The host's default distcache.partitions (hocon/distcache.conf).
    private const int Partitions = 256;

    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    private static async Task<string> Expect(HostProcess host, params string[] args)
    {
        var result = await HostProcess.RunCliAsync([.. args, "--contact", host.Contact, "--timeout", "20"]);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    [Fact]
    public async Task Expire_options_ranges_floats_rename_and_copy_print_like_redis_cli()
    {
        using var host = HostProcess.Start(FreePort.Next(), _data.Path);
        await host.WaitUntilReadyAsync();
        Assert.Equal("OK", await Expect(host, "set", "s", "Hello World"));
        Assert.Equal("0", await Expect(host, "expire", "s", "100", "--xx"));
        Assert.Equal("1", await Expect(host, "expire", "s", "100", "--nx"));
        Assert.Equal("0", await Expect(host, "expire", "s", "50", "--gt"));
        var at = long.Parse(await Expect(host, "expiretime", "s"));
        Assert.InRange(at, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 50, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 100);
        var conflict = await HostProcess.RunCliAsync(["expire", "s", "1", "--gt", "--lt", "--contact", host.Contact, "--timeout", "20"]);
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("--gt and --lt exclude each other", conflict.Stderr);

        Assert.Equal("11", await Expect(host, "setrange", "s", "6", "Redis"));
        Assert.Equal("Redis", await Expect(host, "getrange", "s", "-5", "-1"));
        Assert.Equal("10.5", await Expect(host, "incrbyfloat", "f", "10.5"));
        Assert.Equal("10.6", await Expect(host, "incrbyfloat", "f", "0.1"));

        var b = Enumerable.Range(0, 100_000).Select(i => $"b{i}").First(k => KeyHasher.PartitionOf(k, Partitions) == KeyHasher.PartitionOf("s", Partitions));
        Assert.Equal("OK", await Expect(host, "rename", "s", b));
        Assert.Equal("1", await Expect(host, "copy", b, "s"));
        Assert.Equal("0", await Expect(host, "renamenx", b, "s"));
        Assert.Equal("Hello Redis", await Expect(host, "get", "s"));
        Assert.Equal("f\ns", await Expect(host, "keys", "[fs]"));
    }

    [Fact]
    public async Task Hash_list_set_and_sorted_set_commands_and_type_print_like_redis_cli()
    {
        using var host = HostProcess.Start(FreePort.Next(), _data.Path);
        await host.WaitUntilReadyAsync();
        Assert.Equal("2", await Expect(host, "hset", "h", "name", "Ada", "born", "1815"));
        Assert.Equal("0", await Expect(host, "hset", "h", "name", "Ada Lovelace"));
        Assert.Equal("Ada Lovelace", await Expect(host, "hget", "h", "name"));
        Assert.Equal("(nil)", await Expect(host, "hget", "h", "died"));
        Assert.Equal("1852", await Expect(host, "hincrby", "h", "born", "37"));
        Assert.Equal(["name", "Ada Lovelace", "born", "1852"], Pairs(await Expect(host, "hgetall", "h")));
        Assert.Equal("2", await Expect(host, "hlen", "h"));
        Assert.Equal("hash", await Expect(host, "type", "h"));
        Assert.Equal("2", await Expect(host, "hdel", "h", "name", "born", "died"));
        Assert.Equal("none", await Expect(host, "type", "h"));
        Assert.Equal("OK", await Expect(host, "set", "s", "text"));
        Assert.Equal("string", await Expect(host, "type", "s"));
        var odd = await HostProcess.RunCliAsync(["hset", "h", "f", "--contact", host.Contact, "--timeout", "20"]);
        Assert.Equal(1, odd.ExitCode);
        Assert.Contains("FIELD VALUE pairs", odd.Stderr);
        var wrong = await HostProcess.RunCliAsync(["hset", "s", "f", "v", "--contact", host.Contact, "--timeout", "20"]);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("text", await Expect(host, "get", "s"));

        Assert.Equal("2", await Expect(host, "rpush", "l", "b", "c"));
        Assert.Equal("4", await Expect(host, "lpush", "l", "y", "a"));
        Assert.Equal("a\ny\nb\nc", await Expect(host, "lrange", "l"));
        Assert.Equal("a", await Expect(host, "lpop", "l"));
        Assert.Equal("list", await Expect(host, "type", "l"));
        Assert.Equal("2", await Expect(host, "sadd", "tags", "red", "blue", "red"));
        Assert.Equal("blue\nred", await Expect(host, "smembers", "tags"));
        Assert.Equal("1", await Expect(host, "srem", "tags", "red", "green"));
        Assert.Equal("3", await Expect(host, "zadd", "board", "10", "ann", "2.5", "bob", "-inf", "cy"));
        Assert.Equal("bob\n2.5\nann\n10", await Expect(host, "zrange", "board", "1", "-1", "--withscores"));
        Assert.Equal("ann\nbob\ncy", await Expect(host, "zrange", "board", "--rev"));
        Assert.Equal("-inf", await Expect(host, "zscore", "board", "cy"));
        Assert.Equal("1", await Expect(host, "zrem", "board", "cy"));
        var notScore = await HostProcess.RunCliAsync(["zadd", "board", "high", "dan", "--contact", host.Contact, "--timeout", "20"]);
        Assert.Equal(1, notScore.ExitCode);
        Assert.Contains("'high' is not a score", notScore.Stderr);
    }

    // hgetall's lines as field, value pairs sorted by field, so the hash's own order does not matter.
    private static string[] Pairs(string lines)
    {
        var words = lines.Split('\n');
        return Enumerable.Range(0, words.Length / 2).Select(i => (words[2 * i], words[2 * i + 1]))
            .OrderByDescending(p => p.Item1, StringComparer.Ordinal).SelectMany(p => new[] { p.Item1, p.Item2 }).ToArray();
    }

    [Fact]
    public async Task Bit_commands_and_lcs_print_like_redis_cli()
    {
        using var host = HostProcess.Start(FreePort.Next(), _data.Path);
        await host.WaitUntilReadyAsync();
        Assert.Equal("0", await Expect(host, "setbit", "b", "7", "1"));
        Assert.Equal("1", await Expect(host, "setbit", "b", "7", "1"));
        Assert.Equal("1", await Expect(host, "getbit", "b", "7"));
        Assert.Equal("0", await Expect(host, "getbit", "b", "100"));
        Assert.Equal("OK", await Expect(host, "set", "s", "foobar"));
        Assert.Equal("26", await Expect(host, "bitcount", "s"));
        Assert.Equal("6", await Expect(host, "bitcount", "s", "1", "1"));
        Assert.Equal("17", await Expect(host, "bitcount", "s", "5", "30", "--bit"));
        Assert.Equal("1", await Expect(host, "bitpos", "s", "1"));
        Assert.Equal("9", await Expect(host, "bitpos", "s", "1", "1"));
        Assert.Equal("9", await Expect(host, "bitpos", "s", "1", "8", "15", "--bit"));
        Assert.Equal("-1", await Expect(host, "bitpos", "missing", "1"));
        var bad = await HostProcess.RunCliAsync(["setbit", "b", "1", "2", "--contact", host.Contact, "--timeout", "20"]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("the bit value must be 0 or 1", bad.Stderr);

        Assert.Equal("OK", await Expect(host, "set", "l1", "ohmytext"));
        Assert.Equal("OK", await Expect(host, "set", "l2", "mynewtext"));
        Assert.Equal("mytext", await Expect(host, "lcs", "l1", "l2"));
        Assert.Equal("6", await Expect(host, "lcs", "l1", "l2", "--len"));
        Assert.Equal("matches\n4\n7\n5\n8\n2\n3\n0\n1\nlen\n6", await Expect(host, "lcs", "l1", "l2", "--idx"));
        Assert.Equal("matches\n4\n7\n5\n8\n4\nlen\n6", await Expect(host, "lcs", "l1", "l2", "--idx", "--minmatchlen", "4", "--withmatchlen"));
    }
}
