using DistCache.Tests.Support;

namespace DistCache.Tests.Host;

/// <summary>scripts/cluster.sh end to end: start 3 nodes, use them, kill -9 one, stop the rest by PID.</summary>
public sealed class ClusterScriptTests : IDisposable
{
    private readonly ClusterScript _script = new();

    public void Dispose() => _script.Dispose();

    [Fact]
    public async Task Start_status_kill_and_stop_manage_a_local_cluster()
    {
        var basePort = _script.BasePort;
        var start = await _script.RunAsync("start", "3");
        Assert.True(start.ExitCode == 0, start.Stdout + start.Stderr);
        Assert.Contains($"node 3 up on 127.0.0.1:{basePort + 2}", start.Stdout);

        var contacts = new[] { "--contact", $"127.0.0.1:{basePort + 1}", "--timeout", "60" };
        Assert.Equal("OK", (await HostProcess.RunCliAsync(["set", "script-key", "v", .. contacts])).Stdout);

        var kill = await _script.RunAsync("kill", "2");
        Assert.Equal(0, kill.ExitCode);
        var status = await _script.RunAsync("status");
        Assert.Matches(@"node 2 .* stopped", status.Stdout);
        Assert.Matches(@"node 1 .* running", status.Stdout);

        var survivors = new[] { "--contact", $"127.0.0.1:{basePort}", "--contact", $"127.0.0.1:{basePort + 2}", "--timeout", "60" };
        Assert.Equal("v", (await HostProcess.RunCliAsync(["get", "script-key", .. survivors])).Stdout);

        var stop = await _script.RunAsync("stop");
        Assert.Equal(0, stop.ExitCode);
        Assert.Contains("node 1 stopped", stop.Stdout);
        Assert.Contains("node 3 stopped", stop.Stdout);
        Assert.Contains("no nodes recorded", (await _script.RunAsync("status")).Stdout);
    }
}
