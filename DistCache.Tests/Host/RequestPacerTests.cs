using DistCache.Host.Bench;

namespace DistCache.Tests.Host;

/// <summary>`bench --rate`: requests are due evenly spread, the first at once.</summary>
public sealed class RequestPacerTests
{
    [Fact]
    public void Requests_are_due_one_rate_step_apart_from_the_start()
    {
        var pacer = new RequestPacer(perSecond: 200);
        Assert.Equal(TimeSpan.Zero, pacer.DueAt(1));
        Assert.Equal(TimeSpan.FromMilliseconds(5), pacer.DueAt(2));
        Assert.Equal(TimeSpan.FromSeconds(60), pacer.DueAt(12_001));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_rate_that_is_not_a_positive_number_is_refused(double perSecond) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestPacer(perSecond));
}
