using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using DistCache.Tests.Support;
using StackExchange.Redis;

namespace DistCache.Tests.Resp;

/// <summary>Real hosts with TLS on the Redis port (certificates of a per-run CA): redis-cli and
/// StackExchange.Redis connect over TLS with a password or a client certificate, while a plain-TCP
/// client or a silent socket costs only its own connection. Also StackExchange.Redis's password
/// against a plain port with requirepass.</summary>
public sealed class RespTlsTests : IDisposable
{
    // Distinctive, so finding it in the output cannot be a coincidence.
    private const string Password = "pw-tls-9Lk3-staple";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_tls_redis_port_serves_tls_clients_and_closes_plain_and_silent_ones()
    {
        var files = TlsHostFiles.Write(_folder.Path, "distcache.tls.handshake-timeout = 2s");
        var respPort = FreePort.Next();
        using var host = StartHost(respPort, files, withPassword: true);
        await host.WaitUntilReadyAsync();
        Assert.Contains($"DistCache RESP (Redis protocol) on 127.0.0.1:{respPort} over TLS", host.Output);

        // R7: a silent socket holds its slot only until the handshake timeout; meanwhile TLS clients are served.
        using var silent = await RawSocket.OpenAsync(respPort);
        var silentSince = Stopwatch.StartNew();
        var silentClosed = UntilClosedAsync(silent);

        // R8: redis-cli over TLS, trusting the CA, with the password from REDISCLI_AUTH.
        Assert.Equal("PONG", (await RedisCli(respPort, Password, "--tls", "--cacert", files.Ca, "PING")).Stdout);

        // R7: a plain-TCP client sending a command gets no reply, only its connection closed.
        using (var plain = await RawSocket.OpenAsync(respPort))
        {
            await plain.SendAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray());
            var answered = await UntilClosedAsync(plain);
            Assert.DoesNotContain("PONG", answered);
            Assert.DoesNotContain("NOAUTH", answered);
        }
        Assert.DoesNotContain("PONG", (await RedisCli(respPort, Password, "PING")).Stdout);

        Assert.Equal("", await silentClosed);
        Assert.InRange(silentSince.Elapsed, TimeSpan.FromSeconds(1.5), Patience);

        // R9: StackExchange.Redis over TLS with the password and the CA as its only trusted issuer.
        await using (var redis = await ConnectAsync(respPort, files, Password))
        {
            var db = redis.GetDatabase();
            Assert.True(await db.StringSetAsync("tls:k", "v"));
            Assert.Equal("v", (string?)await db.StringGetAsync("tls:k"));
        }
        var refused = await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(respPort, files, "not-the-password"));
        Assert.Equal(ConnectionFailureType.AuthenticationFailure, refused.FailureType);

        // Still up and serving TLS clients after all of the above; the refusals were logged (throttled),
        // and the password was never printed.
        Assert.False(host.HasExited);
        Assert.Equal("v", (await RedisCli(respPort, Password, "--tls", "--cacert", files.Ca, "GET", "tls:k")).Stdout);
        Assert.Contains("event=resp-tls-refused remote=127.0.0.1:", host.Output);
        Assert.DoesNotContain(Password, host.Output);
    }

    [Fact]
    public void Refused_handshakes_are_logged_at_most_once_per_interval_with_how_many_they_stand_for()
    {
        var clock = new ManualClock();
        var warnings = new List<string>();
        var refusals = new DistCache.Host.Resp.RespTlsRefusals(warnings.Add, clock);
        var client = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 50000);
        refusals.Refused(client, "wrong version number");
        refusals.Refused(client, "wrong version number");
        refusals.Refused(client, "wrong version number");
        Assert.Single(warnings);
        clock.Advance(DistCache.Host.Resp.RespTlsRefusals.Interval);
        refusals.Refused(client, "no handshake within distcache.tls.handshake-timeout");
        Assert.Equal(2, warnings.Count);
        Assert.Equal("event=resp-tls-refused remote=127.0.0.1:50000 reason=\"no handshake within distcache.tls.handshake-timeout\" refusals-since-last-warning=3", warnings[1]);
    }

    [Fact]
    public async Task With_resp_auth_clients_yes_only_clients_with_a_certificate_of_the_ca_get_in()
    {
        var files = TlsHostFiles.Write(_folder.Path, "distcache.tls.resp-auth-clients = yes");
        var respPort = FreePort.Next();
        using var host = StartHost(respPort, files, withPassword: true);
        await host.WaitUntilReadyAsync();

        var withoutCert = await RedisCli(respPort, Password, "--tls", "--cacert", files.Ca, "PING");
        Assert.NotEqual("PONG", withoutCert.Stdout);
        // The node says why (the first refusal of a 10 s window is logged).
        await Eventually.TrueAsync(() => Task.FromResult(host.Output.Contains("reason=\"client certificate refused: the peer sent no certificate\"")),
            "the node logged the refused handshake", Patience);
        var foreignCert = await RedisCli(respPort, Password, "--tls", "--cacert", files.Ca, "--cert", files.ForeignCert, "--key", files.ForeignKey, "PING");
        Assert.NotEqual("PONG", foreignCert.Stdout);
        Assert.Equal("PONG", (await RedisCli(respPort, Password, "--tls", "--cacert", files.Ca, "--cert", files.ClientCert, "--key", files.ClientKey, "PING")).Stdout);

        await using var redis = await ConnectAsync(respPort, files, Password, withClientCert: true);
        var db = redis.GetDatabase();
        Assert.True(await db.StringSetAsync("mtls:k", "v"));
        Assert.Equal("v", (string?)await db.StringGetAsync("mtls:k"));
        Assert.False(host.HasExited);
    }

    [Fact]
    public async Task With_resp_auth_clients_optional_a_client_may_come_without_a_certificate_but_not_with_a_foreign_one()
    {
        var files = TlsHostFiles.Write(_folder.Path, "distcache.tls.resp-auth-clients = optional");
        var respPort = FreePort.Next();
        using var host = StartHost(respPort, files, withPassword: true);
        await host.WaitUntilReadyAsync();

        Assert.Equal("PONG", (await RedisCli(respPort, Password, "--tls", "--cacert", files.Ca, "PING")).Stdout);
        Assert.Equal("PONG", (await RedisCli(respPort, Password, "--tls", "--cacert", files.Ca, "--cert", files.ClientCert, "--key", files.ClientKey, "PING")).Stdout);
        var foreignCert = await RedisCli(respPort, Password, "--tls", "--cacert", files.Ca, "--cert", files.ForeignCert, "--key", files.ForeignKey, "PING");
        Assert.NotEqual("PONG", foreignCert.Stdout);
        await Eventually.TrueAsync(() => Task.FromResult(host.Output.Contains("does not chain to the cluster CA")),
            "the node logged the foreign certificate", Patience);
    }

    [Fact]
    public async Task Stack_exchange_redis_gives_the_password_to_a_plain_port_with_requirepass()
    {
        var respPort = FreePort.Next();
        using var host = StartHost(respPort, files: null, withPassword: true);
        await host.WaitUntilReadyAsync();
        Assert.DoesNotContain("over TLS", host.Output);

        await using (var redis = await ConnectAsync(respPort, files: null, Password))
        {
            var db = redis.GetDatabase();
            Assert.True(await db.StringSetAsync("pw:k", "v"));
            Assert.Equal("v", (string?)await db.StringGetAsync("pw:k"));
        }
        var refused = await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(respPort, files: null, "not-the-password"));
        Assert.Equal(ConnectionFailureType.AuthenticationFailure, refused.FailureType);
    }

    private HostProcess StartHost(int respPort, TlsHostFiles? files, bool withPassword)
    {
        var args = new List<string> { "--resp-port", respPort.ToString() };
        if (withPassword)
        {
            var passwordFile = Path.Combine(_folder.Path, "requirepass");
            File.WriteAllText(passwordFile, Password + "\n");
            args.AddRange(["--resp-password-file", passwordFile]);
        }
        if (files is not null)
            args.AddRange(files.HostArgs);
        return HostProcess.Start(FreePort.Next(), Path.Combine(_folder.Path, "data"), [.. args]);
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(int port, TlsHostFiles? files, string password, bool withClientCert = false)
    {
        var options = ConfigurationOptions.Parse(files is null
            ? $"127.0.0.1:{port},password={password}"
            : $"127.0.0.1:{port},ssl=true,sslHost=localhost,password={password}");
        if (files is not null)
        {
            options.TrustIssuer(files.Ca);
            if (withClientCert)
                options.SetUserPemCertificate(files.ClientCert, files.ClientKey);
        }
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 15_000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>Whatever arrives until the server closes the connection (bounded by <see cref="Patience"/>).</summary>
    private static async Task<string> UntilClosedAsync(Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        for (var reads = 0; reads < 100; reads++)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Patience);
            }
            catch (SocketException)
            {
                return received.ToString(); // reset by the server: closed as well
            }
            if (n == 0)
                return received.ToString();
            received.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }
        throw new InvalidOperationException("the server kept sending and never closed the connection");
    }

    private static Task<CliResult> RedisCli(int port, string? authEnv, params string[] args) => Support.RedisCli.RunAsync(port, authEnv, args);
}
