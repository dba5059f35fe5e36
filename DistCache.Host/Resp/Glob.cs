using DistCache.Protocol;
using DistCache.Client;

namespace DistCache.Host.Resp;

/// <summary>Redis's glob patterns for SCAN MATCH and KEYS (see <see cref="KeyPattern"/>, shared with the .NET client).</summary>
public static class Glob
{
    public static bool Matches(string pattern, string text) => KeyPattern.Matches(pattern, text);

    public static bool Matches(ReadOnlySpan<byte> pattern, CacheKey key) => KeyPattern.Matches(pattern, key);
}
