using System.CommandLine;
using System.Globalization;
using System.Text;
using DistCache.Client;
using static DistCache.Host.Cli.ClientCommands;

namespace DistCache.Host.Cli;

/// <summary>The CLI's setbit, getbit, bitcount, bitpos and lcs, printed as redis-cli prints their replies.</summary>
public static class BitCliCommands
{
    private static readonly Argument<string> Key = new("key") { Description = "The key." };

    public static IEnumerable<Command> Create()
    {
        var offset = new Argument<long>("offset") { Description = "The bit (0 is the most significant bit of the first byte)." };
        var value = new Argument<int>("value") { Description = "1 to set the bit, 0 to clear it." };
        yield return Define("setbit", "Set or clear KEY's bit at OFFSET; prints its previous value.", [Key, offset, value], [], async (client, r) =>
        {
            if (r.GetValue(value) is not (0 or 1))
                throw new ArgumentException("the bit value must be 0 or 1");
            return Bit(await client.SetBitAsync(CliKeys.Of(r, Key), r.GetValue(offset), r.GetValue(value) == 1));
        });
        yield return Define("getbit", "Print KEY's bit at OFFSET (0 past the end or when KEY is missing).", [Key, offset], [],
            async (client, r) => Bit(await client.GetBitAsync(CliKeys.Of(r, Key), r.GetValue(offset))));

        var inBits = new Option<bool>("--bit") { Description = "START and END count bits, not bytes." };
        var start = new Argument<long?>("start") { Description = "First byte (negative counts from the end).", Arity = ArgumentArity.ZeroOrOne };
        var end = new Argument<long?>("end") { Description = "Last byte, inclusive (negative counts from the end).", Arity = ArgumentArity.ZeroOrOne };
        yield return Define("bitcount", "Print how many bits are set in KEY's string, or from START to END.", [Key, start, end], [inBits], async (client, r) =>
        {
            var unit = r.GetValue(inBits) ? BitUnit.Bit : BitUnit.Byte;
            return (r.GetValue(start), r.GetValue(end)) switch
            {
                (null, null) when !r.GetValue(inBits) => Number(await client.BitCountAsync(CliKeys.Of(r, Key))),
                ({ } s, { } e) => Number(await client.BitCountAsync(CliKeys.Of(r, Key), s, e, unit)),
                _ => throw new ArgumentException("bitcount takes both START and END, or neither (and --bit only with them)"),
            };
        });

        var bit = new Argument<int>("bit") { Description = "The bit to look for: 1 or 0." };
        yield return Define("bitpos", "Print the position of KEY's first bit equal to BIT (from START to END), or -1.", [Key, bit, start, end], [inBits],
            async (client, r) =>
            {
                if (r.GetValue(bit) is not (0 or 1))
                    throw new ArgumentException("the bit argument must be 1 or 0");
                if (r.GetValue(inBits) && r.GetValue(end) is null)
                    throw new ArgumentException("--bit needs START and END");
                var unit = r.GetValue(inBits) ? BitUnit.Bit : BitUnit.Byte;
                return Number(await client.BitPositionAsync(CliKeys.Of(r, Key), r.GetValue(bit) == 1, r.GetValue(start), r.GetValue(end), unit));
            });

        var other = new Argument<string>("key2") { Description = "The second key (any partition)." };
        var len = new Option<bool>("--len") { Description = "Print only the length." };
        var idx = new Option<bool>("--idx") { Description = "Print the matching ranges and the length, as LCS IDX." };
        var minLength = new Option<int>("--minmatchlen") { Description = "With --idx: only matches at least this long." };
        var withLength = new Option<bool>("--withmatchlen") { Description = "With --idx: print each match's length too." };
        yield return Define("lcs", "Print the longest common subsequence of the strings at KEY and KEY2.", [Key, other], [len, idx, minLength, withLength],
            async (client, r) =>
            {
                if (r.GetValue(len) && r.GetValue(idx))
                    throw new ArgumentException("If you want both the length and indexes, please just use --idx.");
                var lcs = await client.LongestCommonSubsequenceAsync(CliKeys.Of(r, Key), CliKeys.Of(r, other));
                if (r.GetValue(len))
                    return Number(lcs.Length);
                if (!r.GetValue(idx))
                    return Encoding.UTF8.GetString(lcs.Text);
                // redis-cli's lines for the IDX map: "matches", each range's numbers, then "len" and the length.
                var lines = new List<string> { "matches" };
                foreach (var m in lcs.Matches.Where(m => m.Length >= r.GetValue(minLength)))
                {
                    lines.AddRange([Number(m.AStart), Number(m.AEnd), Number(m.BStart), Number(m.BEnd)]);
                    if (r.GetValue(withLength))
                        lines.Add(Number(m.Length));
                }
                lines.AddRange(["len", Number(lcs.Length)]);
                return string.Join('\n', lines);
            });
    }

    private static string Bit(bool value) => value ? "1" : "0";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
