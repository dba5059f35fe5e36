using System.CommandLine;
using System.Globalization;
using DistCache.Client;
using DistCache.Protocol;
using static DistCache.Host.Cli.ClientCommands;

namespace DistCache.Host.Cli;

/// <summary>The CLI's Redis 7 string, key and expiry subcommands (expiretime, getrange, setrange,
/// incrbyfloat, rename, renamenx, copy, keys), printed as redis-cli prints their replies.</summary>
public static class KeyspaceCliCommands
{
    private static readonly Argument<string> Key = new("key") { Description = "The key." };

    public static Option<bool>[] ExpireOptions() =>
    [
        new("--nx") { Description = "Only if the key has no expiry." },
        new("--xx") { Description = "Only if the key has an expiry." },
        new("--gt") { Description = "Only if the new expiry is later (no expiry counts as never)." },
        new("--lt") { Description = "Only if the new expiry is earlier (no expiry counts as never)." },
    ];

    /// <summary>The options as EXPIRE's conditions, refusing the combinations Redis refuses.</summary>
    public static ExpireConditions Conditions(ParseResult result, Option<bool>[] options)
    {
        var when = ExpireConditions.None;
        ExpireConditions[] flags = [ExpireConditions.IfNoExpiry, ExpireConditions.IfHasExpiry, ExpireConditions.IfLater, ExpireConditions.IfEarlier];
        for (var i = 0; i < options.Length; i++)
        {
            if (result.GetValue(options[i]))
                when |= flags[i];
        }
        if (when.HasFlag(ExpireConditions.IfNoExpiry) && when != ExpireConditions.IfNoExpiry)
            throw new ArgumentException("--nx excludes --xx, --gt and --lt");
        if (when.HasFlag(ExpireConditions.IfLater | ExpireConditions.IfEarlier))
            throw new ArgumentException("--gt and --lt exclude each other");
        return when;
    }

    public static IEnumerable<Command> Create()
    {
        var ms = new Option<bool>("--ms") { Description = "Print Unix milliseconds instead of seconds." };
        yield return Define("expiretime", "Print when KEY expires in Unix seconds; -1 if it never expires, -2 if missing.", [Key], [ms],
            async (client, r) => await client.ExpireTimeAsync(CliKeys.Of(r, Key)) is var at && (at < 0 || r.GetValue(ms)) ? Number(at) : Number(at / 1000));

        var start = new Argument<long>("start") { Description = "First byte (negative counts from the end)." };
        var end = new Argument<long>("end") { Description = "Last byte, inclusive (negative counts from the end)." };
        yield return Define("getrange", "Print the bytes of KEY's string from START to END.", [Key, start, end], [],
            async (client, r) => await client.GetRangeAsync(CliKeys.Of(r, Key), r.GetValue(start), r.GetValue(end)));

        var offset = new Argument<long>("offset") { Description = "Byte to start writing at (the gap is filled with zero bytes)." };
        var value = new Argument<string>("value") { Description = "The text to write." };
        yield return Define("setrange", "Overwrite KEY's string from OFFSET with VALUE; prints the new length.", [Key, offset, value], [],
            async (client, r) => Number(await client.SetRangeAsync(CliKeys.Of(r, Key), r.GetValue(offset), r.GetValue(value)!)));

        var by = new Argument<double>("increment") { Description = "The amount to add (a decimal number, may be negative)." };
        yield return Define("incrbyfloat", "Add INCREMENT to the number at KEY and print it.", [Key, by], [],
            async (client, r) => await client.IncrementByFloatAsync(CliKeys.Of(r, Key), r.GetValue(by)));

        var newKey = new Argument<string>("newkey") { Description = "The new name (must be in KEY's partition)." };
        yield return Define("rename", "Rename KEY to NEWKEY, value and expiry, replacing NEWKEY.", [Key, newKey], [], async (client, r) =>
        {
            await client.RenameAsync(CliKeys.Of(r, Key), CliKeys.Of(r, newKey));
            return "OK";
        });
        yield return Define("renamenx", "Rename KEY to NEWKEY only if NEWKEY does not exist; prints 1 if renamed, else 0.", [Key, newKey], [],
            async (client, r) => Bit(await client.RenameIfAbsentAsync(CliKeys.Of(r, Key), CliKeys.Of(r, newKey))));

        var destination = new Argument<string>("destination") { Description = "Where to copy (must be in KEY's partition)." };
        var replace = new Option<bool>("--replace") { Description = "Overwrite DESTINATION if it exists." };
        yield return Define("copy", "Copy KEY's value and expiry to DESTINATION; prints 1 if copied, else 0.", [Key, destination], [replace],
            async (client, r) => Bit(await client.CopyAsync(CliKeys.Of(r, Key), CliKeys.Of(r, destination), r.GetValue(replace))));

        var pattern = new Argument<string>("pattern") { Description = "A glob: * ? [a-z] [^a] \\x (quote it from the shell)." };
        yield return Define("keys", "Print every key matching PATTERN, one a line (scans the whole cache).", [pattern], [],
            async (client, r) => string.Join('\n', (await client.KeysAsync(r.GetValue(pattern)!)).Order(StringComparer.Ordinal)));
    }

    private static string Bit(bool value) => value ? "1" : "0";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
