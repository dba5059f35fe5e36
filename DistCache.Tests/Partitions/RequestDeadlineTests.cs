using DistCache.Actors.Partitions;

namespace DistCache.Tests.Partitions;

public sealed class RequestDeadlineTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void A_request_without_a_deadline_never_expires() =>
        Assert.False(RequestDeadline.HasPassed(0, long.MaxValue, Skew));

    [Theory]
    [InlineData(10_000, 9_499, false)] // more than the skew before the caller gives up: applied
    [InlineData(10_000, 9_500, true)]  // within the skew: the caller's clock may already be there
    [InlineData(10_000, 12_000, true)]
    public void A_request_is_applied_only_while_its_deadline_is_more_than_the_clock_skew_away(long deadline, long now, bool passed) =>
        Assert.Equal(passed, RequestDeadline.HasPassed(deadline, now, Skew));
}
