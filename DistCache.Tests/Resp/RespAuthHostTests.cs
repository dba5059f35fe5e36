using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using DistCache.Tests.Support;

namespace DistCache.Tests.Resp;

/// <summary>A real host started with --resp-password-file, used from redis-cli and a raw socket: clients
/// authenticate as in Redis, a pipelined AUTH is answered in order, a password guesser is cut off and
/// counted, and the password shows up nowhere: not in the node's output, nor in INFO, CLIENT INFO or CONFIG GET.</summary>
public sealed class RespAuthHostTests : IDisposable
{
    // Distinctive, so finding it anywhere in the output cannot be a coincidence.
    private const string Password = "pw-7Qx2-horse-battery";
    private const string WrongPass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_host_with_a_password_file_admits_only_clients_that_give_it_and_never_shows_it()
    {
        Assert.True(File.Exists("/usr/bin/redis-cli"), "redis-cli is missing: bash scripts/test.sh installs Debian's redis-tools");
        var passwordFile = Path.Combine(_data.Path, "requirepass");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        var respPort = FreePort.Next();
        var httpPort = FreePort.Next();
        using var host = HostProcess.Start(FreePort.Next(), Path.Combine(_data.Path, "data"),
            "--resp-port", respPort.ToString(), "--http-port", httpPort.ToString(), "--resp-password-file", passwordFile);
        await host.WaitUntilReadyAsync();

        // R1/R2 from redis-cli: --pass and REDISCLI_AUTH authenticate; without them only NOAUTH comes back.
        Assert.Equal("PONG", (await RedisCli(respPort, null, "--pass", Password, "PING")).Stdout);
        Assert.Equal("OK", (await RedisCli(respPort, Password, "SET", "auth:k", "v")).Stdout);
        Assert.Equal("NOAUTH Authentication required.", (await RedisCli(respPort, null, "GET", "auth:k")).Stdout);
        var wrong = await RedisCli(respPort, "not-it", "PING");
        Assert.Contains("WRONGPASS invalid username-password pair or user is disabled.", wrong.Stdout + wrong.Stderr);

        // R5: AUTH and GET in one write are answered in order, the GET as an authenticated command.
        using (var socket = await OpenAsync(respPort))
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                $"*2\r\n$4\r\nAUTH\r\n${Password.Length}\r\n{Password}\r\n*2\r\n$3\r\nGET\r\n$6\r\nauth:k\r\n"));
            const string expected = "+OK\r\n$1\r\nv\r\n";
            Assert.Equal(expected, await ReadAsync(socket, expected.Length));
        }

        // Before AUTH, Redis's limits: more than 10 elements or a bulk over 16 KiB is refused and closed at
        // once, before the node buffers it; after AUTH the same request runs.
        using (var socket = await OpenAsync(respPort))
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("*2\r\n$3\r\nGET\r\n$16385\r\n"));
            const string expected = "-ERR Protocol error: unauthenticated bulk length\r\n";
            Assert.Equal(expected, await ReadAsync(socket, expected.Length));
            Assert.Equal(0, await socket.ReceiveAsync(new byte[64].AsMemory()).AsTask().WaitAsync(Patience));
        }
        using (var socket = await OpenAsync(respPort))
        {
            var mget = "*12\r\n$4\r\nMGET\r\n" + string.Concat(Enumerable.Repeat("$6\r\nauth:k\r\n", 11));
            await socket.SendAsync(Encoding.ASCII.GetBytes(mget));
            const string refused = "-ERR Protocol error: unauthenticated multibulk length\r\n";
            Assert.Equal(refused, await ReadAsync(socket, refused.Length));
            Assert.Equal(0, await socket.ReceiveAsync(new byte[64].AsMemory()).AsTask().WaitAsync(Patience));
        }
        using (var socket = await OpenAsync(respPort))
        {
            var mget = "*12\r\n$4\r\nMGET\r\n" + string.Concat(Enumerable.Repeat("$6\r\nauth:k\r\n", 11));
            await socket.SendAsync(Encoding.ASCII.GetBytes($"*2\r\n$4\r\nAUTH\r\n${Password.Length}\r\n{Password}\r\n" + mget));
            var expected = "+OK\r\n*11\r\n" + string.Concat(Enumerable.Repeat("$1\r\nv\r\n", 11));
            Assert.Equal(expected, await ReadAsync(socket, expected.Length));
        }

        // R6: the tenth failure is answered, then the connection is closed.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        var before = await AuthFailuresAsync(http);
        using (var socket = await OpenAsync(respPort))
        {
            var guesses = string.Concat(Enumerable.Range(0, 10).Select(i => $"*2\r\n$4\r\nAUTH\r\n$6\r\nguess{i}\r\n"));
            await socket.SendAsync(Encoding.ASCII.GetBytes(guesses));
            var expected = string.Concat(Enumerable.Repeat(WrongPass, 10));
            Assert.Equal(expected, await ReadAsync(socket, expected.Length));
            Assert.Equal(0, await socket.ReceiveAsync(new byte[64].AsMemory()).AsTask().WaitAsync(Patience));
        }
        Assert.Equal(before + 10, await AuthFailuresAsync(http));

        // What an authenticated client can ask about the node does not reveal the password either.
        foreach (var command in new[] { new[] { "INFO" }, ["CLIENT", "INFO"], ["CONFIG", "GET", "requirepass"], ["CONFIG", "GET", "*"] })
        {
            var answer = await RedisCli(respPort, Password, command);
            Assert.Equal(0, answer.ExitCode);
            Assert.DoesNotContain(Password, answer.Stdout + answer.Stderr);
        }
        Assert.Contains("user=default", (await RedisCli(respPort, Password, "CLIENT", "INFO")).Stdout);

        // The failures were logged (throttled) with the client and user, and the password never was.
        await Eventually.TrueAsync(() => Task.FromResult(host.Output.Contains("event=resp-auth-failed remote=127.0.0.1:")),
            "the node logged the failed authentications", Patience);
        Assert.Contains("user=default", host.Output.Split('\n').First(l => l.Contains("event=resp-auth-failed")));
        Assert.DoesNotContain(Password, host.Output);
    }

    [Fact]
    public async Task Strangers_must_authenticate_in_time_and_cannot_lock_out_a_client_with_the_password()
    {
        var passwordFile = Path.Combine(_data.Path, "requirepass");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        var config = Path.Combine(_data.Path, "strangers.conf");
        await File.WriteAllTextAsync(config, "distcache.resp.auth-timeout = 2s\ndistcache.resp.max-unauthenticated-per-address = 2\n");
        var respPort = FreePort.Next();
        using var host = HostProcess.Start(FreePort.Next(), Path.Combine(_data.Path, "data"),
            "--resp-port", respPort.ToString(), "--resp-password-file", passwordFile, "--config", config);
        await host.WaitUntilReadyAsync();

        // A client that authenticates at once stops counting as a stranger.
        using var member = await OpenAsync(respPort);
        Assert.Equal("+OK\r\n", await RoundTrip(member, $"AUTH {Password}\r\n", 5));

        // Two strangers from 127.0.0.1 are all it admits; a third is told why and closed.
        using var first = await OpenAsync(respPort);
        using var second = await OpenAsync(respPort);
        Assert.Equal("-NOAUTH Authentication required.\r\n", await RoundTrip(first, "PING\r\n", 34));
        Assert.Equal("-NOAUTH Authentication required.\r\n", await RoundTrip(second, "PING\r\n", 34));
        using (var third = await OpenAsync(respPort))
        {
            const string refused = "-ERR max number of unauthenticated clients from this address reached\r\n";
            Assert.Equal(refused, await ReadAsync(third, refused.Length));
        }

        // The strangers are closed once their time is up; the authenticated client, idle as long, is not.
        Assert.Equal(0, await first.ReceiveAsync(new byte[64].AsMemory()).AsTask().WaitAsync(Patience));
        Assert.Equal(0, await second.ReceiveAsync(new byte[64].AsMemory()).AsTask().WaitAsync(Patience));
        Assert.Equal("+PONG\r\n", await RoundTrip(member, "PING\r\n", 7));
        using var later = await OpenAsync(respPort);
        Assert.Equal("-NOAUTH Authentication required.\r\n", await RoundTrip(later, "PING\r\n", 34));
    }

    private static async Task<string> RoundTrip(Socket socket, string request, int length)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        return await ReadAsync(socket, length);
    }

    [Fact]
    public async Task A_missing_password_file_stops_the_host_naming_the_setting()
    {
        using var host = HostProcess.Start(FreePort.Next(), _data.Path,
            "--resp-port", FreePort.Next().ToString(), "--resp-password-file", Path.Combine(_data.Path, "absent"));
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("distcache.resp.requirepass-file", host.Output);
        Assert.Contains("file not found", host.Output);
    }

    private static async Task<long> AuthFailuresAsync(HttpClient http)
    {
        var line = (await http.GetStringAsync("/metrics")).Split('\n').Single(l => l.StartsWith("distcache_resp_auth_failures_total ", StringComparison.Ordinal));
        return (long)double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<CliResult> RedisCli(int port, string? authEnv, params string[] args) => Support.RedisCli.RunAsync(port, authEnv, args);

    private static Task<Socket> OpenAsync(int port) => RawSocket.OpenAsync(port);

    private static Task<string> ReadAsync(Socket socket, int length) => RawSocket.ReadAsync(socket, length, Patience);
}
