using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using DistCache.Host.Resp;
using DistCache.Tests.Support;
using StackExchange.Redis;

namespace DistCache.Tests.Resp.Acl;

/// <summary>A real host started with --resp-users, used from redis-cli and a raw socket: users get Redis's
/// NOPERM replies, see only their keys, COMMAND answers from the table, and no password (nor its hash)
/// shows up in the node's output or in any reply, whatever a client provokes.</summary>
public sealed class RespAclHostTests : IDisposable
{
    // Distinctive, so finding one anywhere cannot be a coincidence.
    private const string AdminPassword = "adm-K8v3-walrus-tuba";
    private const string AppPassword = "app-Q2n7-otter-flute";
    private const string ReadOnlyPassword = "ro-X5c1-heron-drum";
    private const string GonePassword = "gone-Z9w4-moose-harp";
    private static readonly string ReadOnlyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ReadOnlyPassword)));
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Users_of_a_users_file_get_only_what_their_rules_grant_and_no_secret_shows()
    {
        Assert.True(File.Exists("/usr/bin/redis-cli"), "redis-cli is missing: bash scripts/test.sh installs Debian's redis-tools");
        var usersFile = Path.Combine(_data.Path, "users.acl");
        await File.WriteAllLinesAsync(usersFile,
        [
            $"user admin on >{AdminPassword} +@all allkeys",
            $"user app on >{AppPassword} +@all -@dangerous ~app:*",
            $"user ro on #{ReadOnlyHash} +@all -@write ~*",
            $"user gone off >{GonePassword} +@all allkeys",
        ]);
        var respPort = FreePort.Next();
        using var host = HostProcess.Start(FreePort.Next(), Path.Combine(_data.Path, "data"), "--resp-port", respPort.ToString(), "--resp-users", usersFile);
        await host.WaitUntilReadyAsync();
        var replies = new StringBuilder();

        async Task<string> Cli(string? user, string? password, params string[] args)
        {
            var result = await RedisCli(respPort, user, password, args);
            replies.AppendLine(result.Stdout).AppendLine(result.Stderr);
            return result.Stdout + result.Stderr;
        }

        Assert.Equal("OK", await Cli("admin", AdminPassword, "SET", "app:1", "one"));
        Assert.Equal("OK", await Cli("admin", AdminPassword, "MSET", "app:2", "two", "other:k", "x"));
        Assert.Equal("NOAUTH Authentication required.", await Cli(null, null, "GET", "app:1"));

        // The app user: its keys only, no dangerous commands, and SCAN shows only its keys.
        Assert.Equal("one", await Cli("app", AppPassword, "GET", "app:1"));
        Assert.Equal("NOPERM No permissions to access a key", await Cli("app", AppPassword, "GET", "other:k"));
        Assert.Equal("NOPERM User app has no permissions to run the 'flushall' command", await Cli("app", AppPassword, "FLUSHALL"));
        Assert.Equal("NOPERM User app has no permissions to run the 'info' command", await Cli("app", AppPassword, "INFO"));
        Assert.Equal(["app:1", "app:2"], (await Cli("app", AppPassword, "--scan")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.Equal(["app:1", "app:2", "other:k"], (await Cli("admin", AdminPassword, "--scan")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.Equal("app", await Cli("app", AppPassword, "ACL", "WHOAMI"));

        // A user given by its password's hash, without writes.
        Assert.Equal("one", await Cli("ro", ReadOnlyPassword, "GET", "app:1"));
        Assert.Equal("NOPERM User ro has no permissions to run the 'set' command", await Cli("ro", ReadOnlyPassword, "SET", "app:1", "v"));

        // An off user and an unknown one are refused alike.
        Assert.Contains("WRONGPASS invalid username-password pair or user is disabled.", await Cli("gone", GonePassword, "PING"));
        Assert.Contains("WRONGPASS invalid username-password pair or user is disabled.", await Cli("nobody", AppPassword, "PING"));

        // StackExchange.Redis with user= and password=: its handshake copes with the NOPERM of INFO and CONFIG.
        var options = ConfigurationOptions.Parse($"127.0.0.1:{respPort},user=app,password={AppPassword}");
        (options.ConnectTimeout, options.SyncTimeout, options.AsyncTimeout) = (30_000, 30_000, 30_000);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(options))
        {
            var db = redis.GetDatabase();
            Assert.True(await db.StringSetAsync("app:se", "v"));
            Assert.Equal("v", (string?)await db.StringGetAsync("app:se"));
            var denied = await Assert.ThrowsAsync<RedisServerException>(() => db.StringGetAsync("other:k"));
            Assert.Equal("NOPERM No permissions to access a key", denied.Message);
        }

        // COMMAND answers from the table.
        Assert.Equal(RespCommandTable.All.Count.ToString(), await Cli("app", AppPassword, "COMMAND", "COUNT"));
        Assert.Equal("app:1\napp:2", await Cli("app", AppPassword, "COMMAND", "GETKEYS", "MSET", "app:1", "a", "app:2", "b"));

        // Raw RESP: COMMAND INFO's shape, HELLO's syntax errors and a wrong password with HELLO, then RESET.
        using (var socket = await RawSocket.OpenAsync(respPort))
        {
            var raw = await Exchange(socket, Command("HELLO", "3", "AUTH", "app"), "-ERR Syntax error in HELLO option 'AUTH'\r\n");
            raw += await Exchange(socket, Command("HELLO", "3", "AUTH", "app", AdminPassword, "SETNAME"), "-ERR Syntax error in HELLO option 'SETNAME'\r\n");
            raw += await Exchange(socket, Command("HELLO", "3", "AUTH", "app", AdminPassword), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            raw += await Exchange(socket, Command("AUTH", "app", AppPassword), "+OK\r\n");
            // The start of the reply; the connection closes after it.
            raw += await Exchange(socket, Command("COMMAND", "INFO", "get"),
                "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n");
            replies.Append(raw);
        }
        using (var socket = await RawSocket.OpenAsync(respPort))
        {
            replies.Append(await Exchange(socket, Command("AUTH", "app", AppPassword) + Command("RESET") + Command("GET", "app:1"),
                "+OK\r\n+RESET\r\n-NOAUTH Authentication required.\r\n"));
        }

        // What the admin can ask about the node does not reveal a password or a hash either.
        foreach (var command in new[] { new[] { "INFO" }, ["CLIENT", "INFO"], ["CONFIG", "GET", "requirepass"], ["CONFIG", "GET", "*"], ["COMMAND", "DOCS", "auth"] })
            await Cli("admin", AdminPassword, command);
        Assert.Contains("user=admin", await Cli("admin", AdminPassword, "CLIENT", "INFO"));

        await Eventually.TrueAsync(() => Task.FromResult(host.Output.Contains("event=resp-auth-failed")),
            "the node logged the failed authentications", Patience);
        foreach (var secret in new[] { AdminPassword, AppPassword, ReadOnlyPassword, GonePassword, ReadOnlyHash })
        {
            Assert.DoesNotContain(secret, host.Output);
            Assert.DoesNotContain(secret, replies.ToString());
        }
    }

    [Fact]
    public async Task A_mistake_in_the_users_file_stops_the_host_naming_the_line_and_not_the_password()
    {
        var usersFile = Path.Combine(_data.Path, "users.acl");
        await File.WriteAllLinesAsync(usersFile, [$"user app on >{AppPassword} +@all ~app:*", $"user bad on {GonePassword} +@all"]);
        using var host = HostProcess.Start(FreePort.Next(), Path.Combine(_data.Path, "data"),
            "--resp-port", FreePort.Next().ToString(), "--resp-users", usersFile);
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"distcache: configuration error: distcache.resp.users-file (--resp-users) = '{usersFile}': line 2: rule 2 of user 'bad': not a rule", host.Output);
        Assert.DoesNotContain(GonePassword, host.Output);
        Assert.DoesNotContain(AppPassword, host.Output);
    }

    [Fact]
    public async Task A_password_file_and_a_users_file_together_stop_the_host_naming_both()
    {
        var usersFile = Path.Combine(_data.Path, "users.acl");
        var passwordFile = Path.Combine(_data.Path, "requirepass");
        await File.WriteAllTextAsync(usersFile, $"user app on >{AppPassword} +@all ~*\n");
        await File.WriteAllTextAsync(passwordFile, AdminPassword + "\n");
        using var host = HostProcess.Start(FreePort.Next(), Path.Combine(_data.Path, "data"),
            "--resp-port", FreePort.Next().ToString(), "--resp-users", usersFile, "--resp-password-file", passwordFile);
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("distcache.resp.requirepass-file (--resp-password-file) and distcache.resp.users-file (--resp-users) are both set", host.Output);
    }

    private static string Command(params string[] words) =>
        $"*{words.Length}\r\n" + string.Concat(words.Select(w => $"${Encoding.UTF8.GetByteCount(w)}\r\n{w}\r\n"));

    // Sends a request and reads exactly the expected number of bytes back (the start of a longer reply
    // is enough when the connection is closed next).
    private static async Task<string> Exchange(Socket socket, string request, string expected)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(request));
        var reply = await RawSocket.ReadAsync(socket, expected.Length, Patience);
        Assert.Equal(expected, reply);
        return reply;
    }

    private static Task<CliResult> RedisCli(int port, string? user, string? password, params string[] args) =>
        Support.RedisCli.RunAsync(port, password, user is null ? args : ["--user", user, .. args]);
}
