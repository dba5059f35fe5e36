using System.CommandLine;
using System.Diagnostics;
using DistCache.Client;

namespace DistCache.Host.Cli;

/// <summary>`await-keys`: reads key:0 … key:N-1 (as `fill` wrote them) until every one has answered once,
/// then prints when the last one did. Started right after a fault, it measures how long the cluster's
/// slowest key was unavailable (scripts/failover-bench.sh). Bounded by --within.</summary>
public static class AwaitKeysCommand
{
    public static Command Create()
    {
        var command = new Command("await-keys", "Read key:0 … key:N-1 until each has answered once; print how long the last one took.");
        var keys = new Option<int>("--keys") { Description = "How many keys (as written by fill).", DefaultValueFactory = _ => 1000 };
        var clients = new Option<int>("--clients") { Description = "Concurrent readers.", DefaultValueFactory = _ => 16 };
        var within = new Option<double>("--within") { Description = "Give up after this many seconds (exit code 1).", DefaultValueFactory = _ => 120 };
        var startFile = new Option<string?>("--start-when")
        {
            Description = "Connect first, then start the clock and the reads when this file appears (so a script can fault the cluster between).",
        };
        var contacts = ConnectionOptions.Contacts();
        var timeout = ConnectionOptions.Timeout();
        var tls = ConnectionOptions.Tls();
        tls.AddTo(command);
        timeout.DefaultValueFactory = _ => 0.3;
        foreach (var option in new Option[] { keys, clients, within, startFile, contacts, timeout })
            command.Options.Add(option);

        command.SetAction(async (result, cancellation) =>
        {
            var count = result.GetValue(keys);
            var readers = result.GetValue(clients);
            if (count < 1 || readers < 1)
            {
                await Console.Error.WriteLineAsync("(error) --keys and --clients must be positive");
                return 1;
            }
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(TimeSpan.FromSeconds(result.GetValue(within)));
            await using var client = ConnectionOptions.Connect(result, contacts, timeout, tls);
            if (result.GetValue(startFile) is { } file)
            {
                // Connected, and the hot paths compiled: a fresh client's first request takes longer than --timeout.
                while (!limit.IsCancellationRequested)
                {
                    try
                    {
                        await client.TryGetAsync<string>("key:0");
                        break;
                    }
                    catch (DistCacheException ex) when (ex is not DistCacheConnectionException)
                    {
                    }
                }
                await Console.Out.WriteLineAsync("connected");
                while (!File.Exists(file) && !limit.IsCancellationRequested)
                    await Task.Delay(5, CancellationToken.None);
            }
            var clock = Stopwatch.StartNew();

            var answeredAt = new long[count];
            var next = -1;
            var missing = 0;
            await Task.WhenAll(Enumerable.Range(0, readers).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    // Each key is read until it answers (found or not: an answer is what counts).
                    while (true)
                    {
                        if (limit.IsCancellationRequested)
                        {
                            Interlocked.Increment(ref missing);
                            break;
                        }
                        try
                        {
                            await client.TryGetAsync<string>("key:" + i);
                            answeredAt[i] = clock.ElapsedMilliseconds;
                            break;
                        }
                        catch (DistCacheException ex) when (ex is not DistCacheConnectionException)
                        {
                        }
                    }
                }
            }));
            if (missing > 0)
            {
                await Console.Error.WriteLineAsync($"(error) {missing} of {count} keys did not answer within {result.GetValue(within)} s");
                return 1;
            }
            var slowest = Array.IndexOf(answeredAt, answeredAt.Max());
            await Console.Out.WriteLineAsync($"all {count} keys answered; the last (key:{slowest}) after {answeredAt[slowest]} ms");
            return 0;
        });
        return command;
    }
}
