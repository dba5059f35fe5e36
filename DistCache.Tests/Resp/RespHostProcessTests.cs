using DistCache.Tests.Support;
using StackExchange.Redis;

namespace DistCache.Tests.Resp;

/// <summary>StackExchange.Redis against a real `DistCache.Host` process started with --resp-port, as a user
/// would run it; a port already taken is refused at start-up naming the option.</summary>
public sealed class RespHostProcessTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_host_started_with_resp_port_serves_stack_exchange_redis_and_refuses_a_taken_port()
    {
        var respPort = FreePort.Next();
        using var host = HostProcess.Start(FreePort.Next(), _data.Path, "--resp-port", respPort.ToString());
        await host.WaitUntilReadyAsync();
        Assert.Contains($"DistCache RESP (Redis protocol) on 127.0.0.1:{respPort}", host.Output);

        var options = ConfigurationOptions.Parse($"127.0.0.1:{respPort}");
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 30_000;
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(options))
        {
            var db = redis.GetDatabase();
            Assert.True(await db.StringSetAsync("host:k", "v", TimeSpan.FromMinutes(1)));
            Assert.Equal("v", (string?)await db.StringGetAsync("host:k"));
            var counts = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => db.StringIncrementAsync("host:n")));
            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), counts);
        }

        var clash = await HostProcess.RunCliAsync("--port", FreePort.Next().ToString(), "--data", Path.Combine(_data.Path, "other"), "--resp-port", respPort.ToString());
        Assert.Equal(2, clash.ExitCode);
        Assert.Contains($"--resp-port {respPort}", clash.Stderr);
    }
}
