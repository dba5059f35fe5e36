using System.Text;

namespace DistCache.Host.Resp;

/// <summary>The command names and option words the endpoint knows, looked up case-insensitively on the
/// bytes a client sent (ASCII only), so reading a command builds no string.</summary>
public static class RespWords
{
    private const int Longest = 16;

    private static readonly string[] Options =
    [
        "NX", "XX", "GET", "KEEPTTL", "EX", "PX", "EXAT", "PXAT", "PERSIST", "COUNT", "MATCH", "TYPE", "STRING",
        "SETNAME", "GETNAME", "ID", "SETINFO", "INFO", "AUTH", "DOCS", "TRACKING", "CACHING", "GETREDIR", "TRACKINGINFO",
    ];

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Known =
        RespCommands.Supported.Concat(Options).Concat(RespExpiryCommands.Options).Concat(RespStringCommands.Options).Concat(RespKeyCommands.Options).Concat(RespBitCommands.Options).Concat(RespHashCommands.Options).Concat(RespListCommands.Options).Concat(RespSortedSetCommands.Options).Concat(RespSetCommands.Options)
            .Concat(RedisCluster.RespClusterCommands.Options)
            .Distinct()
            .ToDictionary(w => w, w => w, StringComparer.OrdinalIgnoreCase)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    public static string? Find(ReadOnlySpan<byte> word)
    {
        if (word.Length is 0 or > Longest)
            return null;
        Span<char> chars = stackalloc char[Longest];
        if (Ascii.ToUtf16(word, chars, out var written) != System.Buffers.OperationStatus.Done)
            return null;
        return Known.TryGetValue(chars[..written], out var canonical) ? canonical : null;
    }
}
