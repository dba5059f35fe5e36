using System.Text;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Redis's glob patterns (SCAN MATCH, KEYS, ACL key patterns): * ? [abc] [^a] [a-z] and \ to
/// escape. Like Redis's stringmatchlen it works on bytes, so a pattern can match binary keys and ? is one
/// byte. In the client assembly so the .NET client's KeysAsync and the Redis endpoint match keys alike.</summary>
public static class KeyPattern
{
    public static bool Matches(string pattern, string text) =>
        Matches(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(text));

    public static bool Matches(ReadOnlySpan<byte> pattern, CacheKey key) => Matches(pattern, key.AsSpan());

    /// <summary>Every token but * matches exactly one byte, so on a mismatch it is enough to go back to the
    /// last * and let it take one byte more: time is at most pattern × text, never exponential (Redis
    /// backtracks recursively and caps the depth instead).</summary>
    public static bool Matches(ReadOnlySpan<byte> p, ReadOnlySpan<byte> s)
    {
        int pi = 0, si = 0, starP = -1, starS = 0;
        while (si < s.Length)
        {
            if (pi < p.Length && p[pi] == (byte)'*')
            {
                while (pi < p.Length && p[pi] == (byte)'*')
                    pi++;
                if (pi == p.Length)
                    return true;
                (starP, starS) = (pi, si);
                continue;
            }
            if (pi < p.Length && MatchOne(p, ref pi, s[si]))
            {
                si++;
                continue;
            }
            if (starP < 0)
                return false;
            (pi, si) = (starP, ++starS);
        }
        while (pi < p.Length && p[pi] == (byte)'*')
            pi++;
        return pi == p.Length;
    }

    // One token that is not *: on a match pi moves past it.
    private static bool MatchOne(ReadOnlySpan<byte> p, ref int pi, byte c)
    {
        var at = pi;
        bool matched;
        switch (p[at])
        {
            case (byte)'?':
                matched = true;
                at++;
                break;
            case (byte)'[':
                matched = Class(p, ref at, c);
                break;
            case (byte)'\\' when at + 1 < p.Length:
                matched = p[at + 1] == c;
                at += 2;
                break;
            default:
                matched = p[at] == c;
                at++;
                break;
        }
        if (matched)
            pi = at;
        return matched;
    }

    // On entry p[pi] is '['; on exit pi is past the closing ']' (or the end of an unclosed class).
    private static bool Class(ReadOnlySpan<byte> p, ref int pi, byte c)
    {
        pi++;
        var negate = pi < p.Length && p[pi] == (byte)'^';
        if (negate)
            pi++;
        var matched = false;
        while (pi < p.Length && p[pi] != (byte)']')
        {
            if (p[pi] == (byte)'\\' && pi + 1 < p.Length)
            {
                matched |= p[pi + 1] == c;
                pi += 2;
            }
            else if (pi + 2 < p.Length && p[pi + 1] == (byte)'-' && p[pi + 2] != (byte)']')
            {
                var (low, high) = p[pi] <= p[pi + 2] ? (p[pi], p[pi + 2]) : (p[pi + 2], p[pi]);
                matched |= c >= low && c <= high;
                pi += 3;
            }
            else
            {
                matched |= p[pi] == c;
                pi++;
            }
        }
        if (pi < p.Length)
            pi++;
        return matched != negate;
    }
}
