using DistCache.Host.Cli;

namespace DistCache.Tests.History;

public sealed class NearCacheStalenessCheckTests
{
    private const long Bound = 1000;

    private static NearCacheOperation Write(string value, long invoked, long completed, bool ok = true) => new("w", "k", value, invoked, completed, ok, false);

    private static NearCacheOperation Read(string? value, long invoked) => new("r", "k", value, invoked, invoked + 1, true, true);

    [Fact]
    public void A_read_of_a_value_overwritten_longer_ago_than_the_bound_is_stale()
    {
        var history = new[] { Write("a", 0, 10), Write("b", 20, 30), Read("a", 30 + Bound + 1) };
        var stale = Assert.Single(NearCacheStalenessCheck.Find(history, Bound));
        Assert.Equal("b", stale.Overwriter!.Value);
    }

    [Fact]
    public void Within_the_bound_or_after_a_concurrent_write_the_old_value_may_still_be_read()
    {
        Assert.Empty(NearCacheStalenessCheck.Find([Write("a", 0, 10), Write("b", 20, 30), Read("a", 30 + Bound - 1)], Bound));
        // b started before a completed: the two are concurrent, a may be the later one.
        Assert.Empty(NearCacheStalenessCheck.Find([Write("a", 0, 25), Write("b", 20, 30), Read("a", 5 * Bound)], Bound));
        // b timed out: it may never have applied.
        Assert.Empty(NearCacheStalenessCheck.Find([Write("a", 0, 10), Write("b", 20, 30, ok: false), Read("a", 5 * Bound)], Bound));
    }

    [Fact]
    public void A_missing_key_after_an_old_write_and_a_value_nobody_wrote_are_stale()
    {
        Assert.Single(NearCacheStalenessCheck.Find([Write("a", 0, 10), Read(null, 10 + Bound + 1)], Bound));
        Assert.Empty(NearCacheStalenessCheck.Find([Write("a", 0, 10), Read(null, 10 + Bound - 1)], Bound));
        Assert.Equal("read a value nobody wrote", Assert.Single(NearCacheStalenessCheck.Find([Read("z", 5)], Bound)).Why);
    }
}
