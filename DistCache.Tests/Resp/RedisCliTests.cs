using System.Diagnostics;
using DistCache.Tests.Support;

namespace DistCache.Tests.Resp;

/// <summary>redis-cli (Debian's redis-tools, installed by the test script) against a 3-node cluster
/// started with scripts/cluster.sh and the Redis protocol on each node.</summary>
public sealed class RedisCliTests : IDisposable
{
    private readonly ClusterScript _script = new(withResp: true);

    public void Dispose() => _script.Dispose();

    private int Node(int i) => _script.RespBasePort!.Value + i;

    [Fact]
    public async Task Every_command_works_from_redis_cli_through_any_node()
    {
        Assert.True(File.Exists("/usr/bin/redis-cli"), "redis-cli is missing: bash scripts/test.sh installs Debian's redis-tools");
        var start = await _script.RunAsync("start", "3");
        Assert.True(start.ExitCode == 0, start.Stdout + start.Stderr);
        Assert.Contains($"redis protocol on 127.0.0.1:{Node(2)}", start.Stdout);

        Assert.Equal("PONG", await Cli(0, "PING"));
        Assert.Equal("hi", await Cli(1, "ECHO", "hi"));
        Assert.Equal("OK", await Cli(2, "SELECT", "0"));
        Assert.Equal("OK", await Cli(0, "SET", "rc:k", "v"));
        Assert.Equal("v", await Cli(1, "GET", "rc:k"));
        Assert.Equal("", await Cli(2, "GET", "rc:missing"));
        Assert.Equal("", await Cli(0, "SET", "rc:k", "other", "NX"));
        Assert.Equal("v", await Cli(1, "SET", "rc:k", "v3", "XX", "GET"));
        Assert.Equal("0", await Cli(2, "SETNX", "rc:k", "x"));
        Assert.Equal("3", await Cli(0, "APPEND", "rc:k", "!"));
        Assert.Equal("3", await Cli(1, "STRLEN", "rc:k"));
        Assert.Equal("v3!", await Cli(2, "GETSET", "rc:k", "x"));
        Assert.Equal("x", await Cli(0, "GETDEL", "rc:k"));
        Assert.Equal("0", await Cli(1, "EXISTS", "rc:k"));

        Assert.Equal("1", await Cli(0, "INCR", "rc:n"));
        Assert.Equal("11", await Cli(1, "INCRBY", "rc:n", "10"));
        Assert.Equal("10", await Cli(2, "DECR", "rc:n"));
        Assert.Equal("5", await Cli(0, "DECRBY", "rc:n", "5"));
        Assert.Contains("ERR value is not an integer or out of range", await Cli(1, "INCRBY", "rc:n", "x"));

        Assert.Equal("OK", await Cli(1, "SET", "rc:px", "v", "PX", "100000"));
        Assert.InRange(long.Parse(await Cli(2, "PTTL", "rc:px")), 90_000, 100_000);
        Assert.Equal("OK", await Cli(0, "SET", "rc:px", "w", "KEEPTTL"));
        Assert.InRange(long.Parse(await Cli(1, "TTL", "rc:px")), 90, 100);
        var at = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString();
        Assert.Equal("OK", await Cli(2, "SET", "rc:px", "x", "EXAT", at));
        Assert.InRange(long.Parse(await Cli(0, "TTL", "rc:px")), 3500, 3600);
        Assert.Equal("1", await Cli(1, "DEL", "rc:px"));
        Assert.Equal("OK", await Cli(0, "SET", "rc:t", "v", "EX", "100"));
        Assert.InRange(long.Parse(await Cli(1, "TTL", "rc:t")), 90, 100);
        Assert.Equal("1", await Cli(2, "PEXPIRE", "rc:t", "500000"));
        Assert.InRange(long.Parse(await Cli(0, "PTTL", "rc:t")), 400_000, 500_000);
        Assert.Equal("1", await Cli(1, "PERSIST", "rc:t"));
        Assert.Equal("-1", await Cli(2, "TTL", "rc:t"));
        Assert.Equal("1", await Cli(0, "EXPIRE", "rc:t", "1000"));
        Assert.Equal("v", await Cli(1, "GETEX", "rc:t", "EX", "50"));
        Assert.InRange(long.Parse(await Cli(2, "TTL", "rc:t")), 40, 50);
        Assert.Equal("v", await Cli(0, "GETEX", "rc:t", "PERSIST"));
        Assert.Equal("-1", await Cli(1, "TTL", "rc:t"));
        Assert.Equal("1", await Cli(2, "EXPIREAT", "rc:t", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString()));
        Assert.InRange(long.Parse(await Cli(0, "TTL", "rc:t")), 3500, 3600);
        Assert.Equal("-2", await Cli(0, "TTL", "rc:gone"));

        Assert.Equal("OK", await Cli(1, "MSET", "rc:a", "1", "rc:b", "2"));
        Assert.Equal("1\n2", await Cli(2, "MGET", "rc:a", "rc:b", "rc:c"));
        Assert.Equal("2", await Cli(0, "DEL", "rc:a", "rc:b", "rc:c"));
        var scanned = (await Cli(1, "--scan", "--pattern", "rc:*")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order();
        Assert.Equal(["rc:n", "rc:t"], scanned);
        Assert.Equal("2", await Cli(2, "DBSIZE"));
        Assert.Contains("redis_version:", await Cli(0, "INFO"));
        Assert.Equal("OK\nme", await CliWithInput(1, "CLIENT SETNAME me\nCLIENT GETNAME\n"));
        Assert.Matches(@"^\d+$", await Cli(2, "CLIENT", "ID"));
        Assert.Matches(@"^\d+$", await Cli(0, "COMMAND", "COUNT"));
        Assert.Contains("get", (await Cli(1, "COMMAND", "LIST")).Split('\n'));
        Assert.Equal("rc:a\nrc:b", await Cli(1, "COMMAND", "GETKEYS", "MGET", "rc:a", "rc:b"));
        Assert.Contains("proto", await Cli(2, "HELLO", "3"));
        Assert.Equal("OK", await Cli(0, "QUIT"));
        Assert.Equal("2", await Cli(1, "EXISTS", "rc:n", "rc:t", "rc:none"));
        Assert.Equal("5", await Cli(2, "-3", "GET", "rc:n"));
        Assert.Contains("ERR unknown command 'NOSUCH'", await Cli(0, "NOSUCH", "x"));

        Assert.Equal("OK", await Cli(2, "FLUSHALL"));
        Assert.Equal("0", await Cli(0, "DBSIZE"));
    }

    private Task<string> Cli(int node, params string[] args) => Run(node, null, args);

    private Task<string> CliWithInput(int node, string stdin) => Run(node, stdin, []);

    private Task<string> Run(int node, string? stdin, string[] args) => Support.RedisCli.OutputAsync(Node(node), stdin, args);
}
