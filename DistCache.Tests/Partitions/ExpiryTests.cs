using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;
using static DistCache.Tests.Partitions.PartitionTestHarness;

namespace DistCache.Tests.Partitions;

public class ExpiryTests
{
    private readonly ManualClock _clock = new();
    private readonly PartitionTestHarness _p;

    public ExpiryTests() => _p = new PartitionTestHarness(() => new PartitionState(PartitionLimits.Default, clock: _clock));

    [Fact]
    public void A_key_set_with_a_ttl_is_never_returned_after_it_expires()
    {
        _p.Run(new SetValue("k", Text("v"), TimeSpan.FromSeconds(10)));
        _clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Equal("v", TextOf(_p.Run(new GetValue("k"))));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(TextOf(_p.Run(new GetValue("k"))));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("k")));
        Assert.Equal(new CounterValue(-2), _p.Run(new TimeToLive("k")));
        Assert.Equal(0, _p.State.Count);
    }

    [Fact]
    public void Ttl_reports_time_left_or_minus_one_or_minus_two()
    {
        _p.Run(new SetValue("k", Text("v"), TimeSpan.FromSeconds(10)));
        _p.Run(new SetValue("forever", Text("v")));
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(new CounterValue(6000), _p.Run(new TimeToLive("k")));
        Assert.Equal(new CounterValue(-1), _p.Run(new TimeToLive("forever")));
        Assert.Equal(new CounterValue(-2), _p.Run(new TimeToLive("missing")));
    }

    [Fact]
    public void Expire_persist_and_plain_set_change_the_expiry_like_redis()
    {
        _p.Run(new SetValue("k", Text("v")));
        Assert.Equal(new Existence(true), _p.Run(new ExpireKey("k", TimeSpan.FromSeconds(5))));
        Assert.Equal(new Existence(false), _p.Run(new ExpireKey("missing", TimeSpan.FromSeconds(5))));
        Assert.Equal(new Existence(true), _p.Run(new PersistKey("k")));
        Assert.Equal(new Existence(false), _p.Run(new PersistKey("k")));
        Assert.Equal(new CounterValue(-1), _p.Run(new TimeToLive("k")));

        _p.Run(new SetValue("k", Text("v"), TimeSpan.FromSeconds(5)));
        _p.Run(new SetValue("k", Text("w"))); // SET without TTL clears it
        Assert.Equal(new CounterValue(-1), _p.Run(new TimeToLive("k")));

        _p.Run(new SetValue("k", Text("v"), TimeSpan.FromSeconds(5)));
        _p.Run(new SetValue("k", Text("w"), KeepTtl: true));
        Assert.Equal(new CounterValue(5000), _p.Run(new TimeToLive("k")));

        _p.Run(new IncrementBy("n", 1));
        _p.Run(new ExpireKey("n", TimeSpan.FromSeconds(3)));
        _p.Run(new IncrementBy("n", 1)); // INCR keeps the expiry
        Assert.Equal(new CounterValue(3000), _p.Run(new TimeToLive("n")));
    }

    [Fact]
    public void Expire_with_a_non_positive_time_deletes_and_set_with_one_is_rejected()
    {
        _p.Run(new SetValue("k", Text("v")));
        Assert.Equal(new Existence(true), _p.Run(new ExpireKey("k", TimeSpan.Zero)));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("k")));

        var rejected = Assert.IsType<Rejected>(_p.Run(new SetValue("k", Text("v"), TimeSpan.FromSeconds(-1))));
        Assert.Equal(CacheErrorCode.InvalidArgument, rejected.Code);
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("k")));
    }

    [Fact]
    public void Active_expiry_removes_expired_keys_without_any_access()
    {
        for (var i = 0; i < 10; i++)
            _p.Run(new SetValue("t" + i, Text("v"), TimeSpan.FromSeconds(i + 1)));
        _p.Run(new SetValue("forever", Text("v")));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(5, _p.State.RemoveExpired());
        Assert.Equal(6, _p.State.Count);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, _p.State.RemoveExpired(max: 2));
        Assert.Equal(3, _p.State.RemoveExpired());
        Assert.Equal(1, _p.State.Count);
    }

    [Fact]
    public void Recovery_does_not_bring_back_an_expired_entry_but_keeps_a_persisted_one()
    {
        _p.Run(new SetValue("short", Text("v"), TimeSpan.FromSeconds(10)));
        _p.Run(new SetValue("saved", Text("v"), TimeSpan.FromSeconds(10)));
        _p.Run(new PersistKey("saved"));
        var snapshot = _p.State.ToSnapshot();
        _p.Run(new SetValue("late", Text("v"), TimeSpan.FromSeconds(10)));
        _clock.Advance(TimeSpan.FromSeconds(30));

        foreach (var recovered in new[] { _p.Recover(), _p.Recover(snapshot, skipEvents: 3) })
        {
            Assert.Equal(1, recovered.Count);
            Assert.Equal(new Existence(true), recovered.Decide(new KeyExists("saved")).Reply);
            Assert.Equal(new Existence(false), recovered.Decide(new KeyExists("short")).Reply);
            Assert.Equal(new Existence(false), recovered.Decide(new KeyExists("late")).Reply);
        }
    }
}
