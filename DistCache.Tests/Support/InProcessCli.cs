using System.CommandLine;
using DistCache.Client;
using DistCache.Host.Cli;

namespace DistCache.Tests.Support;

/// <summary>Runs CLI client subcommands in this process, through the same command tree and printing code
/// as `DistCache.Host`, over one connection to a real host process, as `DistCache.Host batch` does. A CLI
/// process spends about a second starting and connecting; tests that check what dozens of subcommands print
/// run them here, and the tests of exit codes, stderr, batch and the process itself start real ones
/// (<see cref="HostProcess.RunCliAsync"/>).</summary>
public sealed class InProcessCli(string contact) : IAsyncDisposable
{
    private readonly DistCacheClient _client = new(new DistCacheClientOptions { ContactPoints = [contact], RequestTimeout = TimeSpan.FromSeconds(20) });

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode;
        using (CliSession.Use(_client))
        {
            exitCode = await CliApp.Create().Parse(args)
                .InvokeAsync(new InvocationConfiguration { Output = output, Error = error })
                .WaitAsync(TimeSpan.FromSeconds(60));
        }
        return new CliResult(exitCode, Text(output), Text(error));
    }

    /// <summary>What the subcommand printed, after asserting it succeeded.</summary>
    public async Task<string> ExpectAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private static string Text(StringWriter writer) => writer.ToString().ReplaceLineEndings("\n").TrimEnd('\n');
}
