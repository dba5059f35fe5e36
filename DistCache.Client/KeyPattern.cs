namespace DistCache.Client;

/// <summary>Redis's glob patterns (SCAN MATCH, KEYS): * ? [abc] [^a] [a-z] and \ to escape. In the client
/// assembly so the .NET client's KeysAsync and the Redis endpoint match keys alike.</summary>
public static class KeyPattern
{
    public static bool Matches(string pattern, string text) => Match(pattern, 0, text, 0);

    private static bool Match(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            switch (p[pi])
            {
                case '*':
                    while (pi < p.Length && p[pi] == '*')
                        pi++;
                    if (pi == p.Length)
                        return true;
                    for (var k = si; k <= s.Length; k++)
                    {
                        if (Match(p, pi, s, k))
                            return true;
                    }
                    return false;
                case '?':
                    if (si >= s.Length)
                        return false;
                    pi++;
                    si++;
                    break;
                case '[':
                    if (si >= s.Length || !Class(p, ref pi, s[si]))
                        return false;
                    si++;
                    break;
                case '\\' when pi + 1 < p.Length:
                    if (si >= s.Length || s[si] != p[pi + 1])
                        return false;
                    pi += 2;
                    si++;
                    break;
                default:
                    if (si >= s.Length || s[si] != p[pi])
                        return false;
                    pi++;
                    si++;
                    break;
            }
        }
        return si == s.Length;
    }

    // On entry p[pi] is '['; on exit pi is past the closing ']' (or the end of an unclosed class).
    private static bool Class(string p, ref int pi, char c)
    {
        pi++;
        var negate = pi < p.Length && p[pi] == '^';
        if (negate)
            pi++;
        var matched = false;
        while (pi < p.Length && p[pi] != ']')
        {
            if (p[pi] == '\\' && pi + 1 < p.Length)
            {
                matched |= p[pi + 1] == c;
                pi += 2;
            }
            else if (pi + 2 < p.Length && p[pi + 1] == '-' && p[pi + 2] != ']')
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
