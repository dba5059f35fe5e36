using System.Diagnostics;

namespace DistCache.Tests.Support;

/// <summary>Runs Debian's redis-cli against 127.0.0.1 as a user would. The password goes in REDISCLI_AUTH
/// (never inherited from the test's own environment), not -a, which prints a warning.</summary>
public static class RedisCli
{
    public const string Path = "/usr/bin/redis-cli";

    public static async Task<CliResult> RunAsync(int port, string? password, string? stdin, params string[] args)
    {
        Xunit.Assert.True(File.Exists(Path), "redis-cli is missing: bash scripts/test.sh installs Debian's redis-tools");
        var info = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", port.ToString() }.Concat(args))
            info.ArgumentList.Add(arg);
        info.Environment.Remove("REDISCLI_AUTH");
        if (password is not null)
            info.Environment["REDISCLI_AUTH"] = password;
        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw;
        }
        return new CliResult(process.ExitCode, (await stdout).TrimEnd('\n'), (await stderr).TrimEnd('\n'));
    }

    public static Task<CliResult> RunAsync(int port, string? password, params string[] args) => RunAsync(port, password, null, args);

    /// <summary>What redis-cli printed on both streams, as a person at a terminal sees it.</summary>
    public static async Task<string> OutputAsync(int port, string? stdin, params string[] args)
    {
        var result = await RunAsync(port, null, stdin, args);
        return (result.Stdout + (result.Stderr.Length > 0 && result.Stdout.Length > 0 ? "\n" : "") + result.Stderr).TrimEnd('\n');
    }

    /// <summary>The first <paramref name="count"/> lines redis-cli printed, then it is stopped: for commands
    /// after which it keeps reading until interrupted (SUBSCRIBE and kin).</summary>
    public static async Task<string> FirstLinesAsync(int port, int count, params string[] args)
    {
        Xunit.Assert.True(File.Exists(Path), "redis-cli is missing: bash scripts/test.sh installs Debian's redis-tools");
        var info = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", port.ToString() }.Concat(args))
            info.ArgumentList.Add(arg);
        info.Environment.Remove("REDISCLI_AUTH");
        using var process = Process.Start(info)!;
        var lines = new List<string>();
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (lines.Count < count && await process.StandardOutput.ReadLineAsync(patience.Token) is { } line)
                lines.Add(line);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        return string.Join('\n', lines);
    }
}
