using System.Diagnostics;
using DistCache.Tests.Support;

namespace DistCache.Tests.Host;

/// <summary>scripts/cluster.sh end to end: start 3 nodes, use them, kill -9 one, stop the rest by PID.</summary>
public sealed class ClusterScriptTests : IDisposable
{
    private readonly TempFolder _data = new();
    private readonly int _basePort = FreeRun();

    public void Dispose()
    {
        // Whatever happened, stop what the script recorded.
        Script("stop").Wait(TimeSpan.FromSeconds(90));
        _data.Dispose();
    }

    [Fact]
    public async Task Start_status_kill_and_stop_manage_a_local_cluster()
    {
        var start = await Script("start", "3");
        Assert.True(start.ExitCode == 0, start.Stdout + start.Stderr);
        Assert.Contains($"node 3 up on 127.0.0.1:{_basePort + 2}", start.Stdout);

        var contacts = new[] { "--contact", $"127.0.0.1:{_basePort + 1}", "--timeout", "60" };
        Assert.Equal("OK", (await HostProcess.RunCliAsync(["set", "script-key", "v", .. contacts])).Stdout);

        var kill = await Script("kill", "2");
        Assert.Equal(0, kill.ExitCode);
        var status = await Script("status");
        Assert.Matches(@"node 2 .* stopped", status.Stdout);
        Assert.Matches(@"node 1 .* running", status.Stdout);

        var survivors = new[] { "--contact", $"127.0.0.1:{_basePort}", "--contact", $"127.0.0.1:{_basePort + 2}", "--timeout", "60" };
        Assert.Equal("v", (await HostProcess.RunCliAsync(["get", "script-key", .. survivors])).Stdout);

        var stop = await Script("stop");
        Assert.Equal(0, stop.ExitCode);
        Assert.Contains("node 1 stopped", stop.Stdout);
        Assert.Contains("node 3 stopped", stop.Stdout);
        Assert.Contains("no nodes recorded", (await Script("status")).Stdout);
    }

    private async Task<CliResult> Script(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(PostgresServer.RepositoryRoot(), "scripts", "cluster.sh"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DATA"] = _data.Path;
        info.Environment["BASE_PORT"] = _basePort.ToString();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return new CliResult(process.ExitCode, (await stdout).TrimEnd('\n'), (await stderr).TrimEnd('\n'));
    }

    /// <summary>The first of three consecutive free ports.</summary>
    private static int FreeRun()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = FreePort.Next();
            if (first + 2 <= 65535 && Enumerable.Range(1, 2).All(i => IsFree(first + i)))
                return first;
        }
        throw new InvalidOperationException("no run of three free ports");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
