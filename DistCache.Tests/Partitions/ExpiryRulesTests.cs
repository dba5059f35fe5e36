using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

public class ExpiryRulesTests
{
    private const long Now = 1_000_000_000;

    [Fact]
    public void Each_kind_resolves_to_the_time_a_partition_stores()
    {
        Assert.Equal(0, ExpiryRules.Resolve(Expiry.Clear, 123, Now));
        Assert.Equal(123, ExpiryRules.Resolve(Expiry.Keep, 123, Now));
        Assert.Equal(Now + 1500, ExpiryRules.Resolve(Expiry.After(TimeSpan.FromMilliseconds(1500)), 123, Now));
        Assert.Equal(42, ExpiryRules.Resolve(Expiry.AtUnixMilliseconds(42), 123, Now));
        Assert.Equal(Now + 10, ExpiryRules.Resolve(Expiry.Sliding(TimeSpan.FromMilliseconds(10)), 0, Now));
        Assert.Equal(Now + 5, ExpiryRules.Resolve(Expiry.Sliding(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(5)), 0, Now));
        // A sub-millisecond TTL still expires rather than meaning "none".
        Assert.Equal(Now + 1, ExpiryRules.Resolve(Expiry.After(TimeSpan.FromTicks(1)), 0, Now));
        Assert.Equal(long.MaxValue, ExpiryRules.Resolve(new Expiry(ExpiryKind.After, long.MaxValue), 0, Now));
    }

    [Theory]
    [InlineData(ExpiryKind.After, 0)]
    [InlineData(ExpiryKind.After, -5)]
    [InlineData(ExpiryKind.At, 0)]
    [InlineData(ExpiryKind.Sliding, 0)]
    [InlineData((ExpiryKind)99, 10)]
    public void Times_that_are_not_positive_are_invalid(ExpiryKind kind, long ms) =>
        Assert.Null(ExpiryRules.Resolve(new Expiry(kind, ms), 0, Now));

    [Fact]
    public void Expire_deletes_for_relative_times_not_above_zero_and_absolute_times_not_after_now()
    {
        Assert.True(ExpiryRules.DeletesNow(new Expiry(ExpiryKind.After, 0), Now));
        Assert.True(ExpiryRules.DeletesNow(Expiry.AtUnixMilliseconds(Now), Now));
        Assert.False(ExpiryRules.DeletesNow(Expiry.AtUnixMilliseconds(Now + 1), Now));
        Assert.False(ExpiryRules.DeletesNow(Expiry.After(TimeSpan.FromSeconds(1)), Now));
        Assert.False(ExpiryRules.DeletesNow(Expiry.Clear, Now));
    }

    [Fact]
    public void A_slide_moves_the_window_on_and_stops_at_the_limit()
    {
        Assert.Equal(Now + 30_000, ExpiryRules.Slide(Now, 30_000, 0));
        Assert.Equal(Now + 2_000, ExpiryRules.Slide(Now, 30_000, Now + 2_000));
    }
}
