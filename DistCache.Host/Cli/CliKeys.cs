using System.CommandLine;
using DistCache.Protocol;

namespace DistCache.Host.Cli;

/// <summary>How the CLI reads keys. A shell hands a .NET program its arguments as text, so a key that is not
/// UTF-8 cannot be typed as itself; with <c>--key-hex</c> every key argument is hex instead. Not redis-cli's
/// "\xff" escapes: they would change what a key with a backslash means, and such keys work today.</summary>
public static class CliKeys
{
    public static readonly Option<bool> Hex = new("--key-hex")
    {
        Description = "Key arguments are hex (ff00 is the two bytes 0xff 0x00), for keys that are not UTF-8 text.",
    };

    public static CacheKey Of(ParseResult result, Argument<string> argument) => Of(result, result.GetValue(argument)!);

    public static CacheKey Of(ParseResult result, string text)
    {
        if (!result.GetValue(Hex))
            return text;
        try
        {
            return new CacheKey(Convert.FromHexString(text));
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--key-hex: '{text}' is not an even number of hex digits");
        }
    }

    /// <summary>A key as the CLI prints it: its text when it is UTF-8, else quoted with Redis's escapes, as redis-cli prints it.</summary>
    public static string Print(CacheKey key) => key.ToString();
}
