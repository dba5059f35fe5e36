using System.Diagnostics;
using DistCache.Client.Hybrid;

namespace DistCache.Tests.Client.Hybrid;

public sealed class L1FillGuardTests
{
    private static readonly long Second = Stopwatch.Frequency;
    private readonly L1FillGuard _guard = new();

    [Fact]
    public void A_read_nothing_overtook_is_kept_and_then_forgotten()
    {
        _guard.ReadStarted("k", 0);
        Assert.True(_guard.MayKeep("k"));
        _guard.Filled("k");
        Assert.Equal(0, _guard.Pending);
    }

    [Fact]
    public void A_read_that_an_invalidation_of_its_key_overtook_is_refused()
    {
        _guard.ReadStarted("k", 0);
        _guard.ReadStarted("other", 0);
        _guard.Invalidated(["k"]);
        Assert.False(_guard.MayKeep("k"));
        Assert.True(_guard.MayKeep("other"));
    }

    [Fact]
    public void A_drop_of_everything_overtakes_every_read_in_flight_but_not_later_ones()
    {
        _guard.ReadStarted("k", 0);
        _guard.DroppedAll();
        Assert.False(_guard.MayKeep("k"));
        _guard.Filled("k");
        _guard.ReadStarted("k", 1);
        Assert.True(_guard.MayKeep("k"));
    }

    [Fact]
    public void An_overtaken_read_taints_the_reads_of_its_key_in_flight_with_it_until_all_are_filled()
    {
        _guard.ReadStarted("k", 0);
        _guard.Invalidated(["k"]);
        _guard.ReadStarted("k", 1); // began after the invalidation, but which fill is whose cannot be told
        _guard.Filled("k");
        Assert.False(_guard.MayKeep("k"));
        _guard.Filled("k");
        // A write after its reads (HybridCache.SetAsync racing them) is refused too; the next read starts afresh.
        Assert.False(_guard.MayKeep("k"));
        _guard.ReadStarted("k", 2);
        Assert.True(_guard.MayKeep("k"));
    }

    [Fact]
    public void A_key_with_no_read_in_flight_may_be_kept()
    {
        _guard.Invalidated(["k"]);
        Assert.True(_guard.MayKeep("k"));
    }

    [Fact]
    public void Reads_never_filled_are_forgotten_after_the_read_window()
    {
        var window = (long)(L1FillGuard.ReadWindow.TotalSeconds * Second);
        _guard.ReadStarted("session", 0); // an IDistributedCache read that HybridCache did not make
        _guard.Invalidated(["session"]);
        _guard.ReadStarted("k", window + 1);
        Assert.Equal(1, _guard.Pending);
        Assert.True(_guard.MayKeep("session"));
    }
}
