using System.Diagnostics;

namespace DistCache.Tests.Support;

/// <summary>Runs scripts/cluster.sh against a data folder and ports of the test's own, and stops what
/// the script recorded when disposed.</summary>
public sealed class ClusterScript : IDisposable
{
    private readonly TempFolder _data = new();

    /// <summary>Three consecutive free ports for the cluster, and three for RESP when asked. <paramref name="tls"/>:
    /// TLS=1, certificates made by scripts/make-certs.sh under <see cref="CertsPath"/>.</summary>
    public ClusterScript(bool withResp = false, bool tls = false, string? respPassword = null)
    {
        _tls = tls;
        if (respPassword is not null)
        {
            RespPasswordFile = Path.Combine(_data.Path, "resp.pass");
            File.WriteAllText(RespPasswordFile, respPassword + "\n");
        }
        BasePort = FreeRun();
        RespBasePort = withResp ? FreeRun(BasePort + 3) : null;
    }

    private readonly bool _tls;

    public string CertsPath => Path.Combine(_data.Path, "certs");

    /// <summary>RESP_PASSWORD_FILE, when the cluster's Redis ports ask for a password.</summary>
    public string? RespPasswordFile { get; }

    public int BasePort { get; }
    public int? RespBasePort { get; }

    public void Dispose()
    {
        // Whatever happened, stop what the script recorded.
        RunAsync("stop").Wait(TimeSpan.FromSeconds(90));
        _data.Dispose();
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(PostgresServer.RepositoryRoot(), "scripts", "cluster.sh"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DATA"] = _data.Path;
        info.Environment["SKIP_BUILD"] = "1";
        info.Environment["BASE_PORT"] = BasePort.ToString();
        if (_tls)
            info.Environment["TLS"] = "1";
        if (RespBasePort is { } resp)
            info.Environment["RESP_BASE_PORT"] = resp.ToString();
        if (RespPasswordFile is not null)
            info.Environment["RESP_PASSWORD_FILE"] = RespPasswordFile;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return new CliResult(process.ExitCode, (await stdout).TrimEnd('\n'), (await stderr).TrimEnd('\n'));
    }

    /// <summary>The first of three consecutive free ports (not overlapping <paramref name="after"/>'s run when
    /// given), below Linux's ephemeral range (32768 and up): the nodes start one after another, and a port of
    /// that range found free for the second node could meanwhile become some outgoing connection's local port.</summary>
    private static int FreeRun(int after = 0)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20_000, 32_000 - 2);
            if ((after == 0 || first > after + 2 || first + 2 < after) && Enumerable.Range(0, 3).All(i => IsFree(first + i)))
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
