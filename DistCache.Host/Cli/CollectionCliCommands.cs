using System.CommandLine;
using System.Globalization;
using DistCache.Client;
using DistCache.Protocol;
using static DistCache.Host.Cli.ClientCommands;

namespace DistCache.Host.Cli;

/// <summary>The CLI's common list, set and sorted-set commands (lpush, rpush, lrange, lpop, rpop, llen; sadd,
/// smembers, srem, scard; zadd, zrange, zscore, zrem), printed as redis-cli prints their replies.</summary>
public static class CollectionCliCommands
{
    private static readonly Argument<string> Key = new("key") { Description = "The key." };

    public static IEnumerable<Command> Create()
    {
        var elements = new Argument<string[]>("elements") { Description = "ELEMENT [ELEMENT …]", Arity = ArgumentArity.OneOrMore };
        yield return Define("lpush", "Push elements onto the head of the list at KEY, one by one; prints the length after.", [Key, elements], [],
            async (client, r) => Number(await client.ListLeftPushAsync(CliKeys.Of(r, Key), r.GetValue(elements)!)));
        yield return Define("rpush", "Push elements onto the tail of the list at KEY; prints the length after.", [Key, elements], [],
            async (client, r) => Number(await client.ListRightPushAsync(CliKeys.Of(r, Key), r.GetValue(elements)!)));
        var start = new Argument<long>("start") { Description = "First index (negative counts from the end).", DefaultValueFactory = _ => 0 };
        var stop = new Argument<long>("stop") { Description = "Last index, inclusive (-1: the last).", DefaultValueFactory = _ => -1 };
        yield return Define("lrange", "Print the elements of the list at KEY from START to STOP (all by default), one per line.", [Key, start, stop], [],
            async (client, r) => Lines(await client.ListRangeAsync(CliKeys.Of(r, Key), r.GetValue(start), r.GetValue(stop))));
        yield return Define("lpop", "Remove and print the first element of the list at KEY, or (nil).", [Key], [],
            async (client, r) => await client.ListLeftPopAsync(CliKeys.Of(r, Key)) ?? "(nil)");
        yield return Define("rpop", "Remove and print the last element of the list at KEY, or (nil).", [Key], [],
            async (client, r) => await client.ListRightPopAsync(CliKeys.Of(r, Key)) ?? "(nil)");
        yield return Define("llen", "Print the length of the list at KEY (0 when KEY is missing).", [Key], [],
            async (client, r) => Number(await client.ListLengthAsync(CliKeys.Of(r, Key))));

        var members = new Argument<string[]>("members") { Description = "MEMBER [MEMBER …]", Arity = ArgumentArity.OneOrMore };
        yield return Define("sadd", "Add members to the set at KEY; prints how many were not there yet.", [Key, members], [],
            async (client, r) => Number(await client.SetAddAsync<string>(CliKeys.Of(r, Key), (IEnumerable<string>)r.GetValue(members)!)));
        yield return Define("srem", "Remove members from the set at KEY (the last one deletes KEY); prints how many were there.", [Key, members], [],
            async (client, r) => Number(await client.SetRemoveAsync<string>(CliKeys.Of(r, Key), (IEnumerable<string>)r.GetValue(members)!)));
        yield return Define("smembers", "Print the members of the set at KEY, one per line, in byte order.", [Key], [],
            async (client, r) => Lines((await client.SetMembersAsync<string>(CliKeys.Of(r, Key))).Order(StringComparer.Ordinal)));
        yield return Define("scard", "Print how many members the set at KEY has (0 when KEY is missing).", [Key], [],
            async (client, r) => Number(await client.SetLengthAsync(CliKeys.Of(r, Key))));

        var pairs = new Argument<string[]>("pairs") { Description = "SCORE MEMBER [SCORE MEMBER …]", Arity = ArgumentArity.OneOrMore };
        yield return Define("zadd", "Add members with their scores to the sorted set at KEY (a member there gets the new score); prints how many were added.",
            [Key, pairs], [], async (client, r) =>
            {
                var items = r.GetValue(pairs)!;
                if (items.Length % 2 != 0)
                    throw new ArgumentException("zadd takes SCORE MEMBER pairs: an odd number of words was given");
                var scored = new KeyValuePair<string, double>[items.Length / 2];
                for (var i = 0; i < scored.Length; i++)
                {
                    if (ScoreOf(items[2 * i]) is not { } score)
                        throw new ArgumentException($"zadd: '{items[2 * i]}' is not a score (a number, inf or -inf)");
                    scored[i] = KeyValuePair.Create(items[2 * i + 1], score);
                }
                return Number(await client.SortedSetAddAsync(CliKeys.Of(r, Key), scored));
            });
        var withScores = new Option<bool>("--withscores") { Description = "Print each member's score on the line after it." };
        var reverse = new Option<bool>("--rev") { Description = "Highest score first." };
        yield return Define("zrange", "Print the members of the sorted set at KEY from rank START to STOP (all by default), lowest score first.",
            [Key, start, stop], [withScores, reverse], async (client, r) =>
            {
                var key = CliKeys.Of(r, Key);
                if (!r.GetValue(withScores))
                    return Lines(await client.SortedSetRangeByRankAsync(key, r.GetValue(start), r.GetValue(stop), r.GetValue(reverse)));
                var scored = await client.SortedSetRangeByRankWithScoresAsync(key, r.GetValue(start), r.GetValue(stop), r.GetValue(reverse));
                return Lines(scored.SelectMany(m => new[] { m.Key, Score(m.Value) }));
            });
        var member = new Argument<string>("member") { Description = "The member." };
        yield return Define("zscore", "Print the score of MEMBER in the sorted set at KEY, or (nil).", [Key, member], [],
            async (client, r) => await client.SortedSetScoreAsync(CliKeys.Of(r, Key), r.GetValue(member)!) is { } score ? Score(score) : "(nil)");
        yield return Define("zrem", "Remove members from the sorted set at KEY (the last one deletes KEY); prints how many were there.", [Key, members], [],
            async (client, r) => Number(await client.SortedSetRemoveAsync(CliKeys.Of(r, Key), r.GetValue(members)!)));
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    // A score as redis-cli shows it: the shortest text that reads back as the same double, inf and -inf.
    private static string Score(double value) => double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static double? ScoreOf(string text) => text.ToLowerInvariant() switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) ? d : null,
    };

    private static string Lines(IEnumerable<string> lines) => string.Join('\n', lines);
}
