using System.CommandLine;
using System.Globalization;
using DistCache.Client;
using static DistCache.Host.Cli.ClientCommands;

namespace DistCache.Host.Cli;

/// <summary>The CLI's hset, hget, hgetall, hdel, hlen, hincrby and type, printed as redis-cli prints their replies.</summary>
public static class HashCliCommands
{
    private static readonly Argument<string> Key = new("key") { Description = "The key." };
    private static readonly Argument<string> Field = new("field") { Description = "The field." };

    public static IEnumerable<Command> Create()
    {
        var pairs = new Argument<string[]>("pairs") { Description = "FIELD VALUE [FIELD VALUE …]", Arity = ArgumentArity.OneOrMore };
        yield return Define("hset", "Set fields of the hash at KEY: FIELD VALUE [FIELD VALUE …]; prints how many fields were added.", [Key, pairs], [],
            async (client, r) =>
            {
                var items = r.GetValue(pairs)!;
                if (items.Length % 2 != 0)
                    throw new ArgumentException("hset takes FIELD VALUE pairs: an odd number of words was given");
                var fields = Enumerable.Range(0, items.Length / 2).Select(i => KeyValuePair.Create(items[2 * i], items[2 * i + 1]));
                return Number(await client.HashSetAsync(CliKeys.Of(r, Key), fields));
            });
        yield return Define("hget", "Print FIELD of the hash at KEY, or (nil).", [Key, Field], [],
            async (client, r) => await client.HashGetAsync(CliKeys.Of(r, Key), r.GetValue(Field)!) ?? "(nil)");
        yield return Define("hgetall", "Print each field of the hash at KEY and, on the next line, its value.", [Key], [],
            async (client, r) => string.Join('\n', (await client.HashGetAllAsync(CliKeys.Of(r, Key))).SelectMany(f => new[] { f.Key, f.Value })));

        var fieldsToDelete = new Argument<string[]>("fields") { Description = "The fields.", Arity = ArgumentArity.OneOrMore };
        yield return Define("hdel", "Delete fields of the hash at KEY (the last one deletes KEY); prints how many were removed.", [Key, fieldsToDelete], [],
            async (client, r) => Number(await client.HashDeleteAsync(CliKeys.Of(r, Key), r.GetValue(fieldsToDelete)!)));
        yield return Define("hlen", "Print how many fields the hash at KEY has (0 when KEY is missing).", [Key], [],
            async (client, r) => Number(await client.HashLengthAsync(CliKeys.Of(r, Key))));

        var by = new Argument<long>("increment") { Description = "What to add (negative to subtract)." };
        yield return Define("hincrby", "Add INCREMENT to the integer in FIELD of the hash at KEY (a missing field starts at 0); prints the result.",
            [Key, Field, by], [], async (client, r) => Number(await client.HashIncrementAsync(CliKeys.Of(r, Key), r.GetValue(Field)!, r.GetValue(by))));
        yield return Define("type", "Print the type of the value at KEY: string, hash, list, set, zset, or none.", [Key], [],
            async (client, r) => await client.TypeAsync(CliKeys.Of(r, Key)));
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
