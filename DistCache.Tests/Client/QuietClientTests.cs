using DistCache.Client;
using DistCache.Tests.Support;
using Microsoft.Extensions.Logging;

namespace DistCache.Tests.Client;

/// <summary>A node's death reaches the application as one warning through its logging and the
/// ConnectionLost event, not as Akka's errors and stack traces on the console.</summary>
public sealed class QuietClientTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_killed_node_shows_as_one_warning_and_nothing_on_the_console()
    {
        using var host = HostProcess.Start(FreePort.Next(), _data.Path);
        await host.WaitUntilReadyAsync();

        var console = new StringWriter();
        var original = Console.Out;
        var originalError = Console.Error;
        var logger = new RecordingLogger();
        Console.SetOut(console);
        Console.SetError(console);
        try
        {
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var client = new DistCacheClient(new DistCacheClientOptions
            {
                ContactPoints = [host.Contact],
                // Room for a fresh node's first request (its partitions start on it).
                RequestTimeout = TimeSpan.FromSeconds(15),
                Logger = logger,
            });
            client.ConnectionLost += (_, _) => lost.TrySetResult();
            await client.SetAsync("k", "v");

            host.Kill9();
            await lost.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await Assert.ThrowsAsync<DistCacheTimeoutException>(() => client.GetAsync<string>("k"));
        }
        finally
        {
            Console.SetOut(original);
            Console.SetError(originalError);
        }

        Assert.Equal("", console.ToString());
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(host.Contact, warning.Message);
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
                Entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
