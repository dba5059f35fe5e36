namespace DistCache.Client;

/// <summary>LCS as Redis 7 computes it (t_string.c lcsCommand): the dynamic-programming table, then a walk
/// back from its end that yields the subsequence and, for IDX, the matching ranges from last to first. In the
/// client assembly so the Redis endpoint and the .NET client answer alike.</summary>
public sealed class LongestCommonSubsequence
{
    private LongestCommonSubsequence(byte[] text, int length, List<Match> matches)
    {
        Text = text;
        Length = length;
        Matches = matches;
    }

    public byte[] Text { get; }

    public int Length { get; }

    /// <summary>The ranges (inclusive, in each string) as Redis lists them: from the end of the strings backwards.</summary>
    public IReadOnlyList<Match> Matches { get; }

    public readonly record struct Match(int AStart, int AEnd, int BStart, int BEnd)
    {
        public int Length => AEnd - AStart + 1;
    }

    /// <summary>The table's size in bytes, which Redis refuses past proto-max-bulk-len.</summary>
    public static long TableBytes(int aLength, int bLength) => (aLength + 1L) * (bLength + 1L) * sizeof(uint);

    public static LongestCommonSubsequence Of(byte[] a, byte[] b)
    {
        var alen = a.Length;
        var blen = b.Length;
        var width = blen + 1;
        var lcs = new uint[(alen + 1) * (long)width];
        for (var i = 1; i <= alen; i++)
        {
            for (var j = 1; j <= blen; j++)
            {
                lcs[i * width + j] = a[i - 1] == b[j - 1]
                    ? lcs[(i - 1) * width + j - 1] + 1
                    : Math.Max(lcs[(i - 1) * width + j], lcs[i * width + j - 1]);
            }
        }

        var length = (int)lcs[alen * width + blen];
        var result = new byte[length];
        var matches = new List<Match>();
        var idx = length;
        // aStart == alen means "no range open", as in Redis.
        int aStart = alen, aEnd = 0, bStart = 0, bEnd = 0;
        int x = alen, y = blen;
        while (x > 0 && y > 0)
        {
            var emit = false;
            if (a[x - 1] == b[y - 1])
            {
                result[idx - 1] = a[x - 1];
                if (aStart == alen)
                {
                    aStart = aEnd = x - 1;
                    bStart = bEnd = y - 1;
                }
                else if (aStart == x && bStart == y)
                {
                    aStart--;
                    bStart--;
                }
                else
                {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0)
                    emit = true;
                idx--;
                x--;
                y--;
            }
            else
            {
                if (lcs[(x - 1) * width + y] > lcs[x * width + y - 1])
                    x--;
                else
                    y--;
                if (aStart != alen)
                    emit = true;
            }
            if (emit)
            {
                matches.Add(new Match(aStart, aEnd, bStart, bEnd));
                aStart = alen;
            }
        }
        return new LongestCommonSubsequence(result, length, matches);
    }
}
