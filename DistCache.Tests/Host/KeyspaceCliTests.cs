using DistCache.Tests.Support;
using DistCache.Wire;

namespace DistCache.Tests.Host;

/// <summary>The CLI's Redis 7 string, key and expiry subcommands against a real host process. They run in
/// process (<see cref="InProcessCli"/>) but for one refused command per class, which runs as a process.</summary>
public sealed class KeyspaceCliTests : IDisposable
{
    // The host's default distcache.partitions (hocon/distcache.conf).
    private const int Partitions = 256;

    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Expire_options_ranges_floats_rename_and_copy_print_like_redis_cli()
    {
        using var host = HostProcess.Start(FreePort.Next(), _data.Path);
        await host.WaitUntilReadyAsync();
        await using var cli = new InProcessCli(host.Contact);
        Assert.Equal("OK", await cli.ExpectAsync("set", "s", "Hello World"));
        Assert.Equal("0", await cli.ExpectAsync("expire", "s", "100", "--xx"));
        Assert.Equal("1", await cli.ExpectAsync("expire", "s", "100", "--nx"));
        Assert.Equal("0", await cli.ExpectAsync("expire", "s", "50", "--gt"));
        var at = long.Parse(await cli.ExpectAsync("expiretime", "s"));
        Assert.InRange(at, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 50, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 100);
        var conflict = await HostProcess.RunCliAsync(["expire", "s", "1", "--gt", "--lt", "--contact", host.Contact, "--timeout", "20"]);
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("--gt and --lt exclude each other", conflict.Stderr);

        Assert.Equal("11", await cli.ExpectAsync("setrange", "s", "6", "Redis"));
        Assert.Equal("Redis", await cli.ExpectAsync("getrange", "s", "-5", "-1"));
        Assert.Equal("10.5", await cli.ExpectAsync("incrbyfloat", "f", "10.5"));
        Assert.Equal("10.6", await cli.ExpectAsync("incrbyfloat", "f", "0.1"));

        var b = Enumerable.Range(0, 100_000).Select(i => $"b{i}").First(k => DistCache.Wire.KeySlot.Of(k) == DistCache.Wire.KeySlot.Of("s"));
        Assert.Equal("OK", await cli.ExpectAsync("rename", "s", b));
        Assert.Equal("1", await cli.ExpectAsync("copy", b, "s"));
        Assert.Equal("0", await cli.ExpectAsync("renamenx", b, "s"));
        Assert.Equal("Hello Redis", await cli.ExpectAsync("get", "s"));
        Assert.Equal("f\ns", await cli.ExpectAsync("keys", "[fs]"));
    }

    [Fact]
    public async Task Hash_list_set_and_sorted_set_commands_and_type_print_like_redis_cli()
    {
        using var host = HostProcess.Start(FreePort.Next(), _data.Path);
        await host.WaitUntilReadyAsync();
        await using var cli = new InProcessCli(host.Contact);
        Assert.Equal("2", await cli.ExpectAsync("hset", "h", "name", "Ada", "born", "1815"));
        Assert.Equal("0", await cli.ExpectAsync("hset", "h", "name", "Ada Lovelace"));
        Assert.Equal("Ada Lovelace", await cli.ExpectAsync("hget", "h", "name"));
        Assert.Equal("(nil)", await cli.ExpectAsync("hget", "h", "died"));
        Assert.Equal("1852", await cli.ExpectAsync("hincrby", "h", "born", "37"));
        Assert.Equal(["name", "Ada Lovelace", "born", "1852"], Pairs(await cli.ExpectAsync("hgetall", "h")));
        Assert.Equal("2", await cli.ExpectAsync("hlen", "h"));
        Assert.Equal("hash", await cli.ExpectAsync("type", "h"));
        Assert.Equal("2", await cli.ExpectAsync("hdel", "h", "name", "born", "died"));
        Assert.Equal("none", await cli.ExpectAsync("type", "h"));
        Assert.Equal("OK", await cli.ExpectAsync("set", "s", "text"));
        Assert.Equal("string", await cli.ExpectAsync("type", "s"));
        var odd = await cli.RunAsync("hset", "h", "f");
        Assert.Equal(1, odd.ExitCode);
        Assert.Contains("FIELD VALUE pairs", odd.Stderr);
        var wrong = await cli.RunAsync("hset", "s", "f", "v");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("text", await cli.ExpectAsync("get", "s"));

        Assert.Equal("2", await cli.ExpectAsync("rpush", "l", "b", "c"));
        Assert.Equal("4", await cli.ExpectAsync("lpush", "l", "y", "a"));
        Assert.Equal("a\ny\nb\nc", await cli.ExpectAsync("lrange", "l"));
        Assert.Equal("a", await cli.ExpectAsync("lpop", "l"));
        Assert.Equal("list", await cli.ExpectAsync("type", "l"));
        Assert.Equal("2", await cli.ExpectAsync("sadd", "tags", "red", "blue", "red"));
        Assert.Equal("blue\nred", await cli.ExpectAsync("smembers", "tags"));
        Assert.Equal("1", await cli.ExpectAsync("srem", "tags", "red", "green"));
        Assert.Equal("3", await cli.ExpectAsync("zadd", "board", "10", "ann", "2.5", "bob", "-inf", "cy"));
        Assert.Equal("bob\n2.5\nann\n10", await cli.ExpectAsync("zrange", "board", "1", "-1", "--withscores"));
        Assert.Equal("ann\nbob\ncy", await cli.ExpectAsync("zrange", "board", "--rev"));
        Assert.Equal("-inf", await cli.ExpectAsync("zscore", "board", "cy"));
        Assert.Equal("1", await cli.ExpectAsync("zrem", "board", "cy"));
        var notScore = await cli.RunAsync("zadd", "board", "high", "dan");
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
        await using var cli = new InProcessCli(host.Contact);
        Assert.Equal("0", await cli.ExpectAsync("setbit", "b", "7", "1"));
        Assert.Equal("1", await cli.ExpectAsync("setbit", "b", "7", "1"));
        Assert.Equal("1", await cli.ExpectAsync("getbit", "b", "7"));
        Assert.Equal("0", await cli.ExpectAsync("getbit", "b", "100"));
        Assert.Equal("OK", await cli.ExpectAsync("set", "s", "foobar"));
        Assert.Equal("26", await cli.ExpectAsync("bitcount", "s"));
        Assert.Equal("6", await cli.ExpectAsync("bitcount", "s", "1", "1"));
        Assert.Equal("17", await cli.ExpectAsync("bitcount", "s", "5", "30", "--bit"));
        Assert.Equal("1", await cli.ExpectAsync("bitpos", "s", "1"));
        Assert.Equal("9", await cli.ExpectAsync("bitpos", "s", "1", "1"));
        Assert.Equal("9", await cli.ExpectAsync("bitpos", "s", "1", "8", "15", "--bit"));
        Assert.Equal("-1", await cli.ExpectAsync("bitpos", "missing", "1"));
        var bad = await cli.RunAsync("setbit", "b", "1", "2");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("the bit value must be 0 or 1", bad.Stderr);

        Assert.Equal("OK", await cli.ExpectAsync("set", "l1", "ohmytext"));
        Assert.Equal("OK", await cli.ExpectAsync("set", "l2", "mynewtext"));
        Assert.Equal("mytext", await cli.ExpectAsync("lcs", "l1", "l2"));
        Assert.Equal("6", await cli.ExpectAsync("lcs", "l1", "l2", "--len"));
        Assert.Equal("matches\n4\n7\n5\n8\n2\n3\n0\n1\nlen\n6", await cli.ExpectAsync("lcs", "l1", "l2", "--idx"));
        Assert.Equal("matches\n4\n7\n5\n8\n4\nlen\n6", await cli.ExpectAsync("lcs", "l1", "l2", "--idx", "--minmatchlen", "4", "--withmatchlen"));
    }
}
