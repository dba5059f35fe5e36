using System.Diagnostics;
using DistCache.Client;

namespace DistCache.Tests.Client;

/// <summary>Glob patterns over a key's bytes, as Redis's stringmatchlen matches them.</summary>
public class KeyPatternTests
{
    [Theory]
    [InlineData("2A", "FF00", true)]            // * matches any bytes
    [InlineData("3F", "FF", true)]              // ? is one byte
    [InlineData("3F", "C3A9", false)]           // … so not the two bytes of "é" (Redis: the same)
    [InlineData("3F3F", "C3A9", true)]
    [InlineData("5BF02DFF5D", "FE", true)]      // [\xf0-\xff]
    [InlineData("5B5EFF5D", "FE", true)]        // [^\xff]
    [InlineData("5B5EFF5D", "FF", false)]
    [InlineData("FF", "FE", false)]             // one byte apart
    [InlineData("6B002A", "6B0001", true)]      // NUL is an ordinary byte
    [InlineData("6B2A", "6C00", false)]
    public void Patterns_match_bytes_as_redis_does(string patternHex, string keyHex, bool expected) =>
        Assert.Equal(expected, KeyPattern.Matches(Convert.FromHexString(patternHex), Convert.FromHexString(keyHex)));

    [Fact]
    public void Many_stars_against_a_long_near_miss_finish_at_once()
    {
        // A recursive matcher backtracks exponentially here; one backtrack point keeps it to pattern × key.
        var pattern = string.Concat(Enumerable.Repeat("*a", 30)) + "b";
        var key = new string('a', 1000);
        var watch = Stopwatch.StartNew();
        Assert.False(KeyPattern.Matches(pattern, key));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.True(KeyPattern.Matches(pattern, key + "b"));
    }
}
