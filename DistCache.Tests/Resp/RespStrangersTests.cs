using System.Net;
using DistCache.Actors.Cluster;
using DistCache.Host.Resp;

namespace DistCache.Tests.Resp;

/// <summary>Connections that have not authenticated, counted against their limits without sockets.</summary>
public sealed class RespStrangersTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress B = IPAddress.Parse("10.0.0.2");

    private readonly RespStrangers _strangers = new(new RespStrangerLimits(TimeSpan.FromSeconds(10), 3, 2));

    [Fact]
    public void An_address_gets_its_share_and_all_strangers_together_the_total()
    {
        Assert.NotNull(_strangers.TryAdmit(A, 0, out _));
        Assert.NotNull(_strangers.TryAdmit(A, 0, out _));
        Assert.Null(_strangers.TryAdmit(A, 0, out var fromAddress));
        Assert.Equal("ERR max number of unauthenticated clients from this address reached", fromAddress);
        Assert.NotNull(_strangers.TryAdmit(B, 0, out _));
        Assert.Null(_strangers.TryAdmit(B, 0, out var total));
        Assert.Equal("ERR max number of unauthenticated clients reached", total);
        Assert.Equal(3, _strangers.Count);
    }

    [Fact]
    public void A_stranger_leaves_once_whether_it_authenticates_closes_or_both()
    {
        var first = _strangers.TryAdmit(A, 0, out _)!;
        _strangers.TryAdmit(A, 0, out _);
        first.Leave();
        first.Leave();
        Assert.Equal(1, _strangers.Count);
        Assert.NotNull(_strangers.TryAdmit(A, 0, out _));
        Assert.Null(_strangers.TryAdmit(A, 0, out _));
    }

    [Fact]
    public void A_stranger_is_overdue_at_its_deadline_unless_it_left()
    {
        var waiting = _strangers.TryAdmit(A, 1_000, out _)!;
        var authenticated = _strangers.TryAdmit(B, 1_000, out _)!;
        authenticated.Leave();
        Assert.False(waiting.Overdue(10_999));
        Assert.True(waiting.Overdue(11_000));
        Assert.False(authenticated.Overdue(11_000));
    }
}
