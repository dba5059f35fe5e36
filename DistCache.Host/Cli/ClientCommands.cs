using System.CommandLine;
using System.Globalization;
using DistCache.Client;
using DistCache.Protocol;

namespace DistCache.Host.Cli;

/// <summary>redis-cli-like subcommands. Output matches redis-cli: OK, the value or (nil), 1/0, integers;
/// errors go to stderr as "(error) …" with exit code 1.</summary>
public static class ClientCommands
{
    private static readonly Argument<string> Key = new("key") { Description = "The key." };
    private static readonly Argument<string> Value = new("value") { Description = "The value, stored as a string." };

    public static IEnumerable<Command> Create()
    {
        var ttl = TtlOption();
        var nx = new Option<bool>("--nx") { Description = "Only set the key if it does not exist." };
        var xx = new Option<bool>("--xx") { Description = "Only set the key if it exists." };
        var file = new Option<FileInfo?>("--file") { Description = "Store the bytes of this file (images, PDFs…) instead of VALUE." };
        var optionalValue = new Argument<string?>("value") { Description = "The value, stored as a string.", Arity = ArgumentArity.ZeroOrOne };
        yield return Define("set", "Store VALUE (or --file) under KEY.", [Key, optionalValue], [ttl, nx, xx, file], async (client, r) =>
        {
            if (r.GetValue(nx) && r.GetValue(xx))
                throw new ArgumentException("--nx and --xx exclude each other");
            var path = r.GetValue(file);
            var text = r.GetValue(optionalValue);
            if ((path is null) == (text is null))
                throw new ArgumentException("give either VALUE or --file PATH");
            var key = CliKeys.Of(r, Key);
            var expiry = Ttl(r, ttl);
            if (path is not null)
            {
                var bytes = await File.ReadAllBytesAsync(path.FullName);
                return await Set(client, key, bytes, expiry, r.GetValue(nx), r.GetValue(xx));
            }
            return await Set(client, key, text!, expiry, r.GetValue(nx), r.GetValue(xx));
        });

        var output = new Option<FileInfo?>("--out") { Description = "Write the value's bytes to this file instead of printing it." };
        yield return Define("get", "Print the value of KEY, or (nil).", [Key], [output], async (client, r) =>
        {
            var raw = await client.GetRawAsync(CliKeys.Of(r, Key));
            if (raw is null)
                return "(nil)";
            if (r.GetValue(output) is not { } target)
                return ValueCodec.ToText(raw);
            await File.WriteAllBytesAsync(target.FullName, raw.Data);
            return $"({raw.Data.Length} bytes written to {target.FullName})";
        });

        yield return Define("add", "Store VALUE only if KEY does not exist; prints 1 if stored, else 0.", [Key, Value], [ttl],
            async (client, r) => Bit(await client.AddAsync(CliKeys.Of(r, Key), r.GetValue(Value)!, Ttl(r, ttl))));
        yield return Define("replace", "Store VALUE only if KEY exists; prints 1 if stored, else 0.", [Key, Value], [ttl],
            async (client, r) => Bit(await client.ReplaceAsync(CliKeys.Of(r, Key), r.GetValue(Value)!, Ttl(r, ttl))));
        yield return Define("append", "Append VALUE to KEY's string; prints the new length.", [Key, Value], [],
            async (client, r) => Number(await client.AppendAsync(CliKeys.Of(r, Key), r.GetValue(Value)!)));
        yield return Define("prepend", "Prepend VALUE to KEY's string; prints the new length.", [Key, Value], [],
            async (client, r) => Number(await client.PrependAsync(CliKeys.Of(r, Key), r.GetValue(Value)!)));
        yield return Define("getset", "Store VALUE and print the previous value, or (nil).", [Key, Value], [],
            async (client, r) => Text(await client.GetSetAsync<string>(CliKeys.Of(r, Key), r.GetValue(Value)!)));
        yield return Define("getdel", "Delete KEY and print the value it had, or (nil).", [Key], [],
            async (client, r) => Text(await client.GetDeleteAsync<string>(CliKeys.Of(r, Key))));
        yield return Define("gets", "Print KEY's value and, on a second line, its version (for cas); or (nil).", [Key], [],
            async (client, r) => await client.GetWithVersionAsync<string>(CliKeys.Of(r, Key)) is { } v ? $"{v.Value}\n{v.Version}" : "(nil)");

        var version = new Argument<long>("version") { Description = "The version printed by gets." };
        yield return Define("cas", "Store VALUE only if KEY still has VERSION; prints 1 if stored, else 0.", [Key, Value, version], [ttl],
            async (client, r) => Bit(await client.CompareAndSetAsync(CliKeys.Of(r, Key), r.GetValue(Value)!, r.GetValue(version), Ttl(r, ttl))));

        yield return Define("del", "Delete KEY; prints 1 if it existed, else 0.", [Key], [],
            async (client, r) => Bit(await client.DeleteAsync(CliKeys.Of(r, Key))));
        yield return Define("exists", "Print 1 if KEY exists, else 0.", [Key], [],
            async (client, r) => Bit(await client.ExistsAsync(CliKeys.Of(r, Key))));

        var by = new Option<long>("--by") { Description = "The amount (a 64-bit integer).", DefaultValueFactory = _ => 1 };
        yield return Define("incr", "Add 1 (or --by N) to the integer at KEY and print it.", [Key], [by],
            async (client, r) => Number(await client.IncrementAsync(CliKeys.Of(r, Key), r.GetValue(by))));
        yield return Define("decr", "Subtract 1 (or --by N) from the integer at KEY and print it.", [Key], [by],
            async (client, r) => Number(await client.DecrementAsync(CliKeys.Of(r, Key), r.GetValue(by))));

        var seconds = new Argument<double>("seconds") { Description = "Seconds until the key expires (0 or less deletes it)." };
        var conditions = KeyspaceCliCommands.ExpireOptions();
        yield return Define("expire", "Make KEY expire after SECONDS; prints 1, or 0 if the key is missing or the options refused.", [Key, seconds],
            [.. conditions],
            async (client, r) => Bit(await client.ExpireAsync(CliKeys.Of(r, Key), TimeSpan.FromSeconds(r.GetValue(seconds)), KeyspaceCliCommands.Conditions(r, conditions))));
        yield return Define("ttl", "Print the seconds KEY has left; -1 if it never expires, -2 if missing.", [Key], [],
            async (client, r) => await client.PttlAsync(CliKeys.Of(r, Key)) is var ms && ms < 0 ? Number(ms) : Number((ms + 999) / 1000));
        yield return Define("pttl", "Print the milliseconds KEY has left; -1 if it never expires, -2 if missing.", [Key], [],
            async (client, r) => Number(await client.PttlAsync(CliKeys.Of(r, Key))));
        yield return Define("persist", "Remove KEY's expiry; prints 1 if it had one, else 0.", [Key], [],
            async (client, r) => Bit(await client.PersistAsync(CliKeys.Of(r, Key))));

        var keys = new Argument<string[]>("keys") { Description = "The keys.", Arity = ArgumentArity.OneOrMore };
        yield return Define("mget", "Print the value of each KEY on its own line ((nil) where missing).", [keys], [],
            async (client, r) => string.Join('\n', (await client.GetManyRawAsync(r.GetValue(keys)!.Select(k => CliKeys.Of(r, k)))).Select(v => v is null ? "(nil)" : ValueCodec.ToText(v))));
        var pairs = new Argument<string[]>("pairs") { Description = "KEY VALUE [KEY VALUE …]", Arity = ArgumentArity.OneOrMore };
        yield return Define("mset", "Store several keys: KEY VALUE [KEY VALUE …].", [pairs], [], async (client, r) =>
        {
            var items = r.GetValue(pairs)!;
            if (items.Length % 2 != 0)
                throw new ArgumentException("mset takes KEY VALUE pairs: the last key has no value");
            await client.SetManyAsync(Enumerable.Range(0, items.Length / 2).Select(i => KeyValuePair.Create(CliKeys.Of(r, items[2 * i]), items[2 * i + 1])));
            return "OK";
        });

        yield return Define("count", "Print the number of keys (Redis DBSIZE).", [], [], async (client, _) => Number(await client.CountAsync()));
        yield return Define("flush", "Delete every key (Redis FLUSHALL).", [], [], async (client, _) =>
        {
            await client.FlushAsync();
            return "OK";
        });

        var cursor = new Option<string>("--cursor") { Description = "Where to continue; 0 starts.", DefaultValueFactory = _ => "0" };
        var count = new Option<int>("--count") { Description = "About how many keys per page.", DefaultValueFactory = _ => 100 };
        yield return Define("scan", "Print the next cursor, then one page of keys (the scan is complete when the cursor is 0).", [], [cursor, count],
            async (client, r) =>
            {
                var (found, next) = await client.ScanAsync(r.GetValue(cursor)!, r.GetValue(count));
                return string.Join('\n', found.Prepend(next));
            });

        foreach (var command in KeyspaceCliCommands.Create())
            yield return command;
        foreach (var command in BitCliCommands.Create())
            yield return command;
        foreach (var command in HashCliCommands.Create())
            yield return command;
        foreach (var command in CollectionCliCommands.Create())
            yield return command;
    }

    private static Option<double?> TtlOption() => new("--ttl") { Description = "Seconds until the key expires." };

    private static TimeSpan? Ttl(ParseResult result, Option<double?> option) =>
        result.GetValue(option) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private static async Task<string> Set<T>(DistCacheClient client, CacheKey key, T value, TimeSpan? ttl, bool nx, bool xx)
    {
        if (nx)
            return await client.AddAsync(key, value, ttl) ? "OK" : "(nil)";
        if (xx)
            return await client.ReplaceAsync(key, value, ttl) ? "OK" : "(nil)";
        await client.SetAsync(key, value, ttl);
        return "OK";
    }

    private static string Bit(bool value) => value ? "1" : "0";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text((bool Found, string? Value) result) => result.Found ? result.Value! : "(nil)";

    internal static Command Define(string name, string description, Argument[] arguments, Option[] options,
        Func<DistCacheClient, ParseResult, Task<string>> run)
    {
        var command = new Command(name, description);
        foreach (var argument in arguments)
            command.Arguments.Add(argument);
        foreach (var option in options)
            command.Options.Add(option);
        var contacts = ConnectionOptions.Contacts();
        var timeout = ConnectionOptions.Timeout();
        var tls = ConnectionOptions.Tls();
        tls.AddTo(command);
        command.Options.Add(contacts);
        command.Options.Add(timeout);
        command.Options.Add(CliKeys.Hex);

        command.SetAction(async (result, _) =>
        {
            try
            {
                var shared = CliSession.Current;
                var client = shared ?? ConnectionOptions.Connect(result, contacts, timeout, tls);
                try
                {
                    await result.InvocationConfiguration.Output.WriteLineAsync(await run(client, result));
                }
                finally
                {
                    if (shared is null)
                        await client.DisposeAsync();
                }
                return 0;
            }
            catch (Exception ex) when (ex is DistCacheException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"(error) {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
