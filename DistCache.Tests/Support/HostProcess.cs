using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace DistCache.Tests.Support;

/// <summary>A real `DistCache.Host` process on 127.0.0.1, started from the build output beside the tests.
/// Only processes started here are ever signalled, by their own PID.</summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process) => _process = process;

    public int Port { get; private init; }
    public string Address { get; private init; } = "127.0.0.1";
    public string Contact => $"{Address}:{Port}";
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "DistCache.Host.dll");

    public static HostProcess Start(int port, string dataDir, params string[] extraArgs) =>
        Start([], "127.0.0.1", port, dataDir, extraArgs);

    /// <summary>Starts the host on <paramref name="address"/> under a prefix command such as
    /// <c>ip netns exec NAME</c> (which execs in place, so the PID is still the host's own).</summary>
    public static HostProcess Start(IReadOnlyList<string> prefix, string address, int port, string dataDir, params string[] extraArgs)
    {
        var info = Info(["--host", address, "--port", port.ToString(), "--data", dataDir, .. extraArgs], restoreSigInt: true, prefix);
        return Launch(info, address, port);
    }

    /// <summary>Starts the host with exactly <paramref name="args"/> (a subcommand and its flags), as a container's
    /// entrypoint does; <paramref name="address"/> and <paramref name="port"/> are what those flags say.</summary>
    public static HostProcess StartWith(string address, int port, IReadOnlyList<string> args) =>
        Launch(Info(args, restoreSigInt: true), address, port);

    private static HostProcess Launch(ProcessStartInfo info, string address, int port)
    {
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new HostProcess(process) { Port = port, Address = address };
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Exited += (_, _) => host._ready.TrySetException(new InvalidOperationException("host exited before it was ready:\n" + host.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public async Task WaitUntilReadyAsync() => await _ready.Task.WaitAsync(TimeSpan.FromSeconds(90));

    /// <summary>Runs a CLI subcommand to completion and returns its exit code and output.</summary>
    public static Task<CliResult> RunCliAsync(params string[] args) => RunCliWithInputAsync(null, args);

    /// <summary>The same, with <paramref name="stdin"/> written to its input and the input then closed.</summary>
    public static async Task<CliResult> RunCliWithInputAsync(string? stdin, params string[] args)
    {
        var info = Info(args);
        info.RedirectStandardInput = stdin is not null;
        using var process = new Process { StartInfo = info };
        process.Start();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, (await stdout).TrimEnd('\n'), (await stderr).TrimEnd('\n'));
    }

    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>kill -9: no shutdown hook runs.</summary>
    public void Kill9()
    {
        Signal(9);
        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Kill9();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
        if (line.StartsWith("DistCache ready on", StringComparison.Ordinal))
            _ready.TrySetResult();
    }

    private static ProcessStartInfo Info(IEnumerable<string> args, bool restoreSigInt = false, IReadOnlyList<string>? prefix = null)
    {
        var program = restoreSigInt ? "perl" : "dotnet";
        var info = new ProcessStartInfo(prefix is [var first, ..] ? first : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (prefix is [_, ..])
        {
            foreach (var arg in prefix.Skip(1).Append(program))
                info.ArgumentList.Add(arg);
        }
        if (restoreSigInt)
        {
            // When the test run itself was started in the background, SIGINT arrives ignored and an ignored
            // signal survives exec; .NET then never sees Ctrl+C. perl (Essential in Debian) restores the
            // default and execs the host in place, so the PID stays the host's own.
            foreach (var arg in new[] { "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!", "dotnet" })
                info.ArgumentList.Add(arg);
        }
        info.ArgumentList.Add(HostDll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return info;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);
