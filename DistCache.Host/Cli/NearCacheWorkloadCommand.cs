using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using DistCache.Client;
using DistCache.Client.NearCache;

namespace DistCache.Host.Cli;

/// <summary>`near-cache-workload`: one client process with a near cache reading and writing a few shared keys,
/// every operation written to a file with its invocation and completion on the machine's monotonic clock, so
/// several processes' histories can be merged and checked for reads older than the near cache's bound (the
/// test of that bound, and scripts that measure it). Bounded by --seconds and --operations.</summary>
public static class NearCacheWorkloadCommand
{
    public static Command Create()
    {
        var command = new Command("near-cache-workload", "Read and write shared keys through a near cache; record every operation (for the staleness check).");
        var id = new Option<int>("--id") { Description = "This process's number, in the values it writes.", DefaultValueFactory = _ => 1 };
        var prefix = new Option<string>("--prefix") { Description = "Key prefix shared by the processes of one run.", DefaultValueFactory = _ => "nc" };
        var keys = new Option<int>("--keys") { Description = "How many keys.", DefaultValueFactory = _ => 8 };
        var writes = new Option<double>("--write-share") { Description = "Share of operations that write (0-1).", DefaultValueFactory = _ => 0.2 };
        var seconds = new Option<double>("--seconds") { Description = "How long to run.", DefaultValueFactory = _ => 20 };
        var operations = new Option<int>("--operations") { Description = "Stop after this many operations.", DefaultValueFactory = _ => 50_000 };
        var output = new Option<string>("--out") { Description = "File for the history (JSON lines).", Required = true };
        var contacts = ConnectionOptions.Contacts();
        var timeout = ConnectionOptions.Timeout();
        var tls = ConnectionOptions.Tls();
        tls.AddTo(command);
        timeout.DefaultValueFactory = _ => 2;
        foreach (var option in new Option[] { id, prefix, keys, writes, seconds, operations, output, contacts, timeout })
            command.Options.Add(option);

        command.SetAction(async (result, cancellation) =>
        {
            var self = result.GetValue(id);
            var keyCount = result.GetValue(keys);
            var writeShare = result.GetValue(writes);
            await using var client = ConnectionOptions.Connect(result, contacts, timeout, tls, adjust: o => o with { NearCache = new NearCacheOptions() });
            var random = new Random(self);
            var history = new List<NearCacheOperation>();
            var deadline = Stopwatch.StartNew();
            var limit = TimeSpan.FromSeconds(result.GetValue(seconds));
            var counter = 0;
            while (deadline.Elapsed < limit && history.Count < result.GetValue(operations) && !cancellation.IsCancellationRequested)
            {
                var key = $"{result.GetValue(prefix)}:{random.Next(keyCount)}";
                var write = random.NextDouble() < writeShare;
                var value = write ? $"{self}:{++counter}" : null;
                var invoked = Stopwatch.GetTimestamp();
                var hits = client.NearCacheReads!.Value.Hits;
                try
                {
                    if (write)
                        await client.SetAsync(key, value!);
                    else
                        value = await client.GetAsync<string>(key);
                    history.Add(new(write ? "w" : "r", key, value, invoked, Stopwatch.GetTimestamp(), true, client.NearCacheReads!.Value.Hits > hits));
                }
                catch (DistCacheException)
                {
                    history.Add(new(write ? "w" : "r", key, write ? value : null, invoked, Stopwatch.GetTimestamp(), false, false));
                }
                // Paced: the near cache answers in microseconds, and the check needs operations spread over the run.
                await Task.Delay(1, CancellationToken.None);
            }
            await File.WriteAllLinesAsync(result.GetValue(output)!, history.Select(o => JsonSerializer.Serialize(o)), CancellationToken.None);
            var (served, missed) = client.NearCacheReads!.Value;
            await Console.Out.WriteLineAsync($"operations {history.Count} failed {history.Count(o => !o.Ok)} near-cache hits {served} misses {missed}");
            return 0;
        });
        return command;
    }
}

/// <summary>One operation of <see cref="NearCacheWorkloadCommand"/>: kind "w" or "r", the value written or read,
/// invocation and completion as Stopwatch timestamps, whether it succeeded, whether the near cache served it.</summary>
public sealed record NearCacheOperation(string Kind, string Key, string? Value, long Invoked, long Completed, bool Ok, bool Hit);
