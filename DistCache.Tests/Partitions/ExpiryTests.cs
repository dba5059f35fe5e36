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
        _p.Run(new SetValue("k", Text("v"), Expiry.After(TimeSpan.FromSeconds(10))));
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
        _p.Run(new SetValue("k", Text("v"), Expiry.After(TimeSpan.FromSeconds(10))));
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
        Assert.Equal(new Existence(true), _p.Run(new ExpireKey("k", Expiry.After(TimeSpan.FromSeconds(5)))));
        Assert.Equal(new Existence(false), _p.Run(new ExpireKey("missing", Expiry.After(TimeSpan.FromSeconds(5)))));
        Assert.Equal(new Existence(true), _p.Run(new PersistKey("k")));
        Assert.Equal(new Existence(false), _p.Run(new PersistKey("k")));
        Assert.Equal(new CounterValue(-1), _p.Run(new TimeToLive("k")));

        _p.Run(new SetValue("k", Text("v"), Expiry.After(TimeSpan.FromSeconds(5))));
        _p.Run(new SetValue("k", Text("w"))); // SET without TTL clears it
        Assert.Equal(new CounterValue(-1), _p.Run(new TimeToLive("k")));

        _p.Run(new SetValue("k", Text("v"), Expiry.After(TimeSpan.FromSeconds(5))));
        _p.Run(new SetValue("k", Text("w"), Expiry.Keep));
        Assert.Equal(new CounterValue(5000), _p.Run(new TimeToLive("k")));

        _p.Run(new IncrementBy("n", 1));
        _p.Run(new ExpireKey("n", Expiry.After(TimeSpan.FromSeconds(3))));
        _p.Run(new IncrementBy("n", 1)); // INCR keeps the expiry
        Assert.Equal(new CounterValue(3000), _p.Run(new TimeToLive("n")));
    }

    [Fact]
    public void Expire_with_a_non_positive_time_deletes_and_set_with_one_is_rejected()
    {
        _p.Run(new SetValue("k", Text("v")));
        Assert.Equal(new Existence(true), _p.Run(new ExpireKey("k", Expiry.After(TimeSpan.Zero))));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("k")));

        var rejected = Assert.IsType<Rejected>(_p.Run(new SetValue("k", Text("v"), Expiry.After(TimeSpan.FromSeconds(-1)))));
        Assert.Equal(CacheErrorCode.InvalidExpireTime, rejected.Code);
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("k")));
    }

    [Fact]
    public void Active_expiry_removes_expired_keys_without_any_access()
    {
        for (var i = 0; i < 10; i++)
            _p.Run(new SetValue("t" + i, Text("v"), Expiry.After(TimeSpan.FromSeconds(i + 1))));
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
        _p.Run(new SetValue("short", Text("v"), Expiry.After(TimeSpan.FromSeconds(10))));
        _p.Run(new SetValue("saved", Text("v"), Expiry.After(TimeSpan.FromSeconds(10))));
        _p.Run(new PersistKey("saved"));
        var snapshot = _p.State.ToSnapshot();
        _p.Run(new SetValue("late", Text("v"), Expiry.After(TimeSpan.FromSeconds(10))));
        _clock.Advance(TimeSpan.FromSeconds(30));

        foreach (var recovered in new[] { _p.Recover(), _p.Recover(snapshot, skipEvents: 3) })
        {
            Assert.Equal(1, recovered.Count);
            Assert.Equal(new Existence(true), recovered.Decide(new KeyExists("saved")).Reply);
            Assert.Equal(new Existence(false), recovered.Decide(new KeyExists("short")).Reply);
            Assert.Equal(new Existence(false), recovered.Decide(new KeyExists("late")).Reply);
        }
    }

    [Fact]
    public void A_sliding_key_lives_as_long_as_it_is_read_within_its_window_and_never_past_its_limit()
    {
        _p.Run(new SetValue("s", Text("v"), Expiry.Sliding(TimeSpan.FromSeconds(10), limit: TimeSpan.FromSeconds(30))));
        for (var i = 0; i < 2; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(9));
            Assert.Equal("v", TextOf(_p.Run(new GetValue("s"))));
            Assert.Equal(new CounterValue(10_000), _p.Run(new TimeToLive("s")));
        }
        // 23 s in: the window would reach 33 s, the limit stops it at 30 s.
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("v", TextOf(_p.Run(new GetValue("s"))));
        Assert.Equal(new CounterValue(7_000), _p.Run(new TimeToLive("s")));
        _clock.Advance(TimeSpan.FromSeconds(7));
        Assert.Null(TextOf(_p.Run(new GetValue("s"))));
    }

    [Fact]
    public void A_sliding_key_not_read_within_its_window_expires_and_ttl_queries_do_not_slide_it()
    {
        _p.Run(new SetValue("s", Text("v"), Expiry.Sliding(TimeSpan.FromSeconds(10))));
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(new CounterValue(4_000), _p.Run(new TimeToLive("s")));
        Assert.Equal(new Existence(true), _p.Run(new KeyExists("s")));
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Null(TextOf(_p.Run(new GetValue("s"))));
    }

    [Fact]
    public void Reads_of_a_sliding_key_are_journaled_so_recovery_keeps_the_slid_expiry()
    {
        _p.Run(new SetValue("s", Text("v"), Expiry.Sliding(TimeSpan.FromSeconds(10))));
        _p.Run(new SetValue("plain", Text("v"), Expiry.After(TimeSpan.FromSeconds(10))));
        var snapshot = _p.State.ToSnapshot();
        _clock.Advance(TimeSpan.FromSeconds(8));
        var journaled = _p.Journal.Count;
        _p.Run(new GetValue("plain"));
        Assert.Equal(journaled, _p.Journal.Count); // a plain read writes nothing
        _p.Run(new MultiGetPart(0, ["s", "plain"]));
        Assert.Equal(journaled + 1, _p.Journal.Count);
        _clock.Advance(TimeSpan.FromSeconds(8));

        foreach (var recovered in new[] { _p.Recover(), _p.Recover(snapshot, skipEvents: 2) })
        {
            Assert.Equal(new CounterValue(2_000), recovered.Decide(new TimeToLive("s")).Reply);
            Assert.Equal(new Existence(false), recovered.Decide(new KeyExists("plain")).Reply);
            // Still sliding after recovery.
            var read = recovered.Decide(new GetValue("s"));
            Assert.NotNull(read.Event);
        }
    }

    [Fact]
    public void Writes_end_or_keep_a_sliding_expiry_as_they_would_any_other()
    {
        _p.Run(new SetValue("n", Text("1"), Expiry.Sliding(TimeSpan.FromSeconds(10))));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(new CounterValue(2), _p.Run(new IncrementBy("n", 1))); // keeps it, and slides it
        Assert.Equal(new CounterValue(10_000), _p.Run(new TimeToLive("n")));
        _p.Run(new SetValue("n", Text("5"))); // a plain SET clears it
        Assert.Equal(new CounterValue(-1), _p.Run(new TimeToLive("n")));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(_p.State.Decide(new GetValue("n")).Event);

        _p.Run(new SetValue("e", Text("v"), Expiry.Sliding(TimeSpan.FromSeconds(10))));
        _p.Run(new ExpireKey("e", Expiry.After(TimeSpan.FromSeconds(3))));
        _clock.Advance(TimeSpan.FromSeconds(2));
        _p.Run(new GetValue("e"));
        Assert.Equal(new CounterValue(1_000), _p.Run(new TimeToLive("e")));
    }

    [Fact]
    public void Getex_reads_and_changes_the_expiry_in_one_step()
    {
        _p.Run(new SetValue("k", Text("v"), Expiry.After(TimeSpan.FromSeconds(10))));
        Assert.Equal("v", TextOf(_p.Run(new GetAndExpire("k", Expiry.After(TimeSpan.FromSeconds(100))))));
        Assert.Equal(new CounterValue(100_000), _p.Run(new TimeToLive("k")));
        Assert.Equal("v", TextOf(_p.Run(new GetAndExpire("k", Expiry.Clear))));
        Assert.Equal(new CounterValue(-1), _p.Run(new TimeToLive("k")));
        var at = _clock.GetUtcNow().AddSeconds(30);
        Assert.Equal("v", TextOf(_p.Run(new GetAndExpire("k", Expiry.At(at)))));
        Assert.Equal(new CounterValue(30_000), _p.Run(new TimeToLive("k")));
        var journaled = _p.Journal.Count;
        Assert.Equal("v", TextOf(_p.Run(new GetAndExpire("k", Expiry.Keep))));
        Assert.Equal(journaled, _p.Journal.Count);
        Assert.Null(TextOf(_p.Run(new GetAndExpire("missing", Expiry.Clear))));
        Assert.Equal(CacheErrorCode.InvalidExpireTime,
            Assert.IsType<Rejected>(_p.Run(new GetAndExpire("k", new Expiry(ExpiryKind.After, 0)))).Code);
        // A time already past deletes the key at once, as Redis's GETEX PXAT does.
        Assert.Equal("v", TextOf(_p.Run(new GetAndExpire("k", Expiry.AtUnixMilliseconds(1)))));
        Assert.Contains(new EntryRemoved("k"), ((PartitionChanged)_p.Journal[^1]).Changes);
        Assert.Equal(0, _p.State.Count);
    }

    [Fact]
    public void Absolute_expiry_already_past_leaves_a_set_key_expired_and_an_expire_deletes_it()
    {
        _p.Run(new SetValue("k", Text("v"), Expiry.At(_clock.GetUtcNow().AddSeconds(-5))));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("k")));
        _p.Run(new SetValue("j", Text("v")));
        Assert.Equal(new Existence(true), _p.Run(new ExpireKey("j", Expiry.At(_clock.GetUtcNow()))));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("j")));
        Assert.Equal(0, _p.State.Count);
    }
}
