using System.CommandLine;
using DistCache.Client;

namespace DistCache.Host.Cli;

/// <summary>redis-cli-like subcommands. Output matches redis-cli: OK, the value or (nil), 1/0, the new
/// integer; errors go to stderr with exit code 1.</summary>
public static class ClientCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Keyed("set", "Store VALUE under KEY.", withValue: true,
            async (client, key, value, _) => { await client.SetAsync(key, value!); return "OK"; });
        yield return Keyed("get", "Print the value of KEY, or (nil).", withValue: false,
            async (client, key, _, _) => await client.GetRawAsync(key) is { } raw ? ValueCodec.ToText(raw) : "(nil)");
        yield return Keyed("del", "Delete KEY; prints 1 if it existed, else 0.", withValue: false,
            async (client, key, _, _) => await client.DeleteAsync(key) ? "1" : "0");
        yield return Keyed("exists", "Print 1 if KEY exists, else 0.", withValue: false,
            async (client, key, _, _) => await client.ExistsAsync(key) ? "1" : "0");
        yield return Keyed("incr", "Add 1 (or --by N) to the integer at KEY and print it.", withValue: false,
            async (client, key, _, by) => (await client.IncrementAsync(key, by)).ToString(), withBy: true);
        yield return Keyed("decr", "Subtract 1 (or --by N) from the integer at KEY and print it.", withValue: false,
            async (client, key, _, by) => (await client.DecrementAsync(key, by)).ToString(), withBy: true);
    }

    private static Command Keyed(string name, string description, bool withValue,
        Func<DistCacheClient, string, string?, long, Task<string>> run, bool withBy = false)
    {
        var command = new Command(name, description);
        var key = new Argument<string>("key") { Description = "The key." };
        command.Arguments.Add(key);
        Argument<string>? value = null;
        if (withValue)
        {
            value = new Argument<string>("value") { Description = "The value, stored as a string." };
            command.Arguments.Add(value);
        }
        Option<long>? by = null;
        if (withBy)
        {
            by = new Option<long>("--by") { Description = "The amount (a 64-bit integer).", DefaultValueFactory = _ => 1 };
            command.Options.Add(by);
        }
        var contacts = ConnectionOptions.Contacts();
        var timeout = ConnectionOptions.Timeout();
        command.Options.Add(contacts);
        command.Options.Add(timeout);

        command.SetAction(async (result, _) =>
        {
            try
            {
                await using var client = ConnectionOptions.Connect(result, contacts, timeout);
                var output = await run(client, result.GetValue(key)!, value is null ? null : result.GetValue(value),
                    by is null ? 1 : result.GetValue(by));
                await Console.Out.WriteLineAsync(output);
                return 0;
            }
            catch (Exception ex) when (ex is DistCacheException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"(error) {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
