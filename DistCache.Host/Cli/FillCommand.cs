using System.CommandLine;
using System.Diagnostics;
using DistCache.Client;

namespace DistCache.Host.Cli;

/// <summary>`fill`: loads N keys with concurrent callers, to prepare data for recovery measurements.
/// Bounded by the key count; prints progress and the write rate.</summary>
public static class FillCommand
{
    public static Command Create()
    {
        var command = new Command("fill", "Write --keys keys (key:0, key:1, …) with --clients concurrent callers.");
        var keys = new Option<int>("--keys") { Description = "How many keys.", DefaultValueFactory = _ => 100_000 };
        var clients = new Option<int>("--clients") { Description = "Concurrent callers.", DefaultValueFactory = _ => 64 };
        var size = new Option<int>("--value-size") { Description = "Bytes per value.", DefaultValueFactory = _ => 32 };
        var keyBytes = new Option<int>("--key-bytes")
        {
            Description = "Pad every key with zeros to this many bytes (key:000…0042); 0 leaves them as key:42.",
            DefaultValueFactory = _ => 0,
        };
        var contacts = ConnectionOptions.Contacts();
        var timeout = ConnectionOptions.Timeout();
        var tls = ConnectionOptions.Tls();
        tls.AddTo(command);
        foreach (var option in new Option[] { keys, clients, size, keyBytes, contacts, timeout })
            command.Options.Add(option);

        command.SetAction(async (result, cancellation) =>
        {
            var count = result.GetValue(keys);
            var callers = result.GetValue(clients);
            var valueSize = result.GetValue(size);
            if (count < 1 || callers < 1 || valueSize < 1)
            {
                await Console.Error.WriteLineAsync("(error) --keys, --clients and --value-size must be positive");
                return 1;
            }
            var width = result.GetValue(keyBytes);
            var digits = (count - 1).ToString().Length;
            if (width != 0 && width < 4 + digits)
            {
                await Console.Error.WriteLineAsync($"(error) --key-bytes {width} cannot hold key:{count - 1} (needs at least {4 + digits})");
                return 1;
            }

            await using var client = ConnectionOptions.Connect(result, contacts, timeout, tls);
            var value = new string('v', valueSize);
            var next = -1;
            var clock = Stopwatch.StartNew();
            using var progress = new Timer(_ =>
                Console.Error.WriteLine($"{Math.Min(Volatile.Read(ref next) + 1, count)}/{count} keys, {clock.Elapsed.TotalSeconds:0} s"),
                null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
            try
            {
                await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < count && !cancellation.IsCancellationRequested)
                        await client.SetAsync(width == 0 ? "key:" + i : "key:" + i.ToString().PadLeft(width - 4, '0'), value);
                }));
            }
            catch (DistCacheException ex)
            {
                await Console.Error.WriteLineAsync($"(error) {ex.Message}");
                return 1;
            }
            await Console.Out.WriteLineAsync(
                $"filled {count} keys in {clock.Elapsed.TotalSeconds:0.0} s ({count / clock.Elapsed.TotalSeconds:0} writes/s, {callers} callers)");
            return 0;
        });
        return command;
    }
}
