using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;
using static DistCache.Tests.Partitions.PartitionTestHarness;

namespace DistCache.Tests.Partitions;

/// <summary>EXPIRE's options, EXPIRETIME, TOUCH, GETRANGE, SETRANGE, INCRBYFLOAT, MSETNX, RENAME and COPY in
/// one partition, as plain logic; every write recovers from its journal to the same state.</summary>
public class KeyCommandsTests
{
    private readonly ManualClock _clock = new();
    private readonly PartitionTestHarness _p;

    public KeyCommandsTests() => _p = new PartitionTestHarness(() => new PartitionState(new PartitionLimits(64, 32), clock: _clock));

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private ICacheReply Expire(string key, long seconds, ExpireConditions when) =>
        _p.Run(new ExpireKey(key, new Expiry(ExpiryKind.After, seconds * 1000), when));

    [Fact]
    public void Expire_nx_xx_gt_lt_follow_redis_and_treat_no_expiry_as_infinite()
    {
        _p.Run(new SetValue("k", Text("v")));
        Assert.Equal(new Existence(false), Expire("k", 100, ExpireConditions.IfHasExpiry));
        Assert.Equal(new Existence(false), Expire("k", 100, ExpireConditions.IfLater));
        Assert.Equal(new CounterValue(-1), _p.Run(new ExpireTime("k")));
        Assert.Equal(new Existence(true), Expire("k", 100, ExpireConditions.IfEarlier));
        Assert.Equal(new CounterValue(Now + 100_000), _p.Run(new ExpireTime("k")));
        Assert.Equal(new Existence(false), Expire("k", 200, ExpireConditions.IfNoExpiry));
        Assert.Equal(new Existence(false), Expire("k", 50, ExpireConditions.IfLater));
        Assert.Equal(new Existence(false), Expire("k", 100, ExpireConditions.IfLater));
        Assert.Equal(new Existence(true), Expire("k", 200, ExpireConditions.IfLater | ExpireConditions.IfHasExpiry));
        Assert.Equal(new Existence(false), Expire("k", 300, ExpireConditions.IfEarlier));
        Assert.Equal(new CounterValue(Now + 200_000), _p.Run(new ExpireTime("k")));
        // A time in the past compared by LT is earlier, so the key is deleted, as in Redis.
        Assert.Equal(new Existence(true), Expire("k", -1, ExpireConditions.IfEarlier));
        Assert.Equal(new CounterValue(-2), _p.Run(new ExpireTime("k")));
        Assert.Equal(new Existence(false), Expire("missing", 10, ExpireConditions.None));
        Assert.Equal(new Existence(false), _p.Recover().Decide(new KeyExists("k")).Reply);
    }

    [Fact]
    public void Refused_expire_options_journal_nothing()
    {
        _p.Run(new SetValue("k", Text("v")));
        var journaled = _p.Journal.Count;
        Assert.Equal(new Existence(false), Expire("k", 100, ExpireConditions.IfHasExpiry));
        Assert.Equal(journaled, _p.Journal.Count);
    }

    [Fact]
    public void Touch_counts_only_live_keys()
    {
        _p.Run(new SetValue("k", Text("v"), Expiry.After(TimeSpan.FromSeconds(1))));
        Assert.Equal(new Existence(true), _p.Run(new TouchKey("k")));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new Existence(false), _p.Run(new TouchKey("k")));
    }

    [Fact]
    public void Getrange_reads_like_redis_including_integers_and_missing_keys()
    {
        _p.Run(new SetValue("s", Text("This is a string")));
        Assert.Equal("This", TextOf(_p.Run(new GetRange("s", 0, 3))));
        Assert.Equal("ing", TextOf(_p.Run(new GetRange("s", -3, -1))));
        Assert.Equal("This is a string", TextOf(_p.Run(new GetRange("s", 0, -1))));
        Assert.Equal("string", TextOf(_p.Run(new GetRange("s", 10, 100))));
        Assert.Equal("", TextOf(_p.Run(new GetRange("s", -1, -5))));
        Assert.Equal("", TextOf(_p.Run(new GetRange("missing", 0, -1))));
        _p.Run(new IncrementBy("n", 12345));
        Assert.Equal("234", TextOf(_p.Run(new GetRange("n", 1, 3))));
    }

    [Fact]
    public void Setrange_pads_with_zeros_keeps_the_ttl_and_refuses_past_the_value_limit()
    {
        _p.Run(new SetValue("s", Text("Hello World"), Expiry.After(TimeSpan.FromSeconds(100))));
        Assert.Equal(new CounterValue(11), _p.Run(new SetRange("s", 6, "Redis"u8.ToArray())));
        Assert.Equal("Hello Redis", TextOf(_p.Run(new GetValue("s"))));
        Assert.Equal(new CounterValue(100_000), _p.Run(new TimeToLive("s")));
        Assert.Equal(new CounterValue(11), _p.Run(new SetRange("s", 3, [])));
        Assert.Equal(new CounterValue(0), _p.Run(new SetRange("new", 5, [])));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("new")));
        Assert.Equal(new CounterValue(8), _p.Run(new SetRange("new", 3, "abcde"u8.ToArray())));
        Assert.Equal("\0\0\0abcde", TextOf(_p.Run(new GetValue("new"))));
        Assert.Equal(new Rejected(CacheErrorCode.ValueTooLarge, 33, 32), _p.Run(new SetRange("new", 30, "abc"u8.ToArray())));
        _p.Run(new SetValue("n", IntegerValue.From(42)));
        Assert.Equal(new CounterValue(2), _p.Run(new SetRange("n", 1, "7"u8.ToArray())));
        Assert.Equal(new CounterValue(48), _p.Run(new IncrementBy("n", 1)));
        Assert.Equal("Hello Redis", TextOf(_p.Recover().Decide(new GetValue("s")).Reply));
    }

    [Fact]
    public void Incrbyfloat_adds_keeps_the_ttl_and_rejects_non_numbers_and_infinity()
    {
        _p.Run(new SetValue("f", Text("10.50"), Expiry.After(TimeSpan.FromSeconds(100))));
        Assert.Equal("10.6", TextOf(_p.Run(new IncrementByFloat("f", "0.1"))));
        Assert.Equal("5.6", TextOf(_p.Run(new IncrementByFloat("f", "-5"))));
        Assert.Equal(new CounterValue(100_000), _p.Run(new TimeToLive("f")));
        _p.Run(new SetValue("e", Text("5.0e3")));
        Assert.Equal("5200", TextOf(_p.Run(new IncrementByFloat("e", "2.0e2"))));
        Assert.Equal("0.3", TextOf(_p.Run(new IncrementByFloat("new", "0.3"))));
        _p.Run(new IncrementBy("n", 3));
        Assert.Equal("3.5", TextOf(_p.Run(new IncrementByFloat("n", "0.5"))));
        _p.Run(new SetValue("s", Text("abc")));
        Assert.Equal(new Rejected(CacheErrorCode.NotAFloat), _p.Run(new IncrementByFloat("s", "1")));
        Assert.Equal(new Rejected(CacheErrorCode.FloatOverflow), _p.Run(new IncrementByFloat("f", "inf")));
        Assert.Equal("5.6", TextOf(_p.Recover().Decide(new GetValue("f")).Reply));
    }

    [Fact]
    public void Msetnx_sets_all_or_none()
    {
        Assert.Equal(new Written(true), _p.Run(new MultiSetIfAbsent([new("a", Text("1")), new("b", Text("2"))])));
        Assert.Equal(new Written(false), _p.Run(new MultiSetIfAbsent([new("c", Text("3")), new("b", Text("x"))])));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("c")));
        Assert.Equal("2", TextOf(_p.Run(new GetValue("b"))));
        Assert.Equal("1", TextOf(_p.Recover().Decide(new GetValue("a")).Reply));
    }

    [Fact]
    public void Rename_moves_value_and_ttl_and_renamenx_refuses_a_taken_name()
    {
        _p.Run(new SetValue("a", Text("1"), Expiry.After(TimeSpan.FromSeconds(100))));
        _p.Run(new SetValue("b", Text("2")));
        Assert.Equal(new Rejected(CacheErrorCode.NoSuchKey), _p.Run(new RenameKey("missing", "x")));
        Assert.Equal(new Written(false), _p.Run(new RenameKey("a", "b", IfAbsent: true)));
        Assert.Equal(new Written(false), _p.Run(new RenameKey("a", "a", IfAbsent: true)));
        Assert.Equal(Stored.Instance, _p.Run(new RenameKey("a", "a")));
        Assert.Equal(Stored.Instance, _p.Run(new RenameKey("a", "b")));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("a")));
        Assert.Equal("1", TextOf(_p.Run(new GetValue("b"))));
        Assert.Equal(new CounterValue(100_000), _p.Run(new TimeToLive("b")));
        Assert.Equal(new Written(true), _p.Run(new RenameKey("b", "c", IfAbsent: true)));
        var recovered = _p.Recover();
        Assert.Equal("1", TextOf(recovered.Decide(new GetValue("c")).Reply));
        Assert.Equal(new Existence(false), recovered.Decide(new KeyExists("b")).Reply);
    }

    [Fact]
    public void Copy_copies_value_and_ttl_and_replaces_only_when_asked()
    {
        _p.Run(new SetValue("a", Text("1"), Expiry.After(TimeSpan.FromSeconds(100))));
        _p.Run(new SetValue("b", Text("2")));
        Assert.Equal(new Existence(false), _p.Run(new CopyKey("missing", "x")));
        Assert.Equal(new Existence(false), _p.Run(new CopyKey("a", "b")));
        Assert.Equal("2", TextOf(_p.Run(new GetValue("b"))));
        Assert.Equal(new Existence(true), _p.Run(new CopyKey("a", "b", Replace: true)));
        Assert.Equal("1", TextOf(_p.Run(new GetValue("b"))));
        Assert.Equal(new CounterValue(100_000), _p.Run(new TimeToLive("b")));
        Assert.Equal(new Existence(true), _p.Run(new CopyKey("a", "c")));
        _p.Run(new AppendValue("c", "!"u8.ToArray()));
        Assert.Equal("1", TextOf(_p.Run(new GetValue("a"))));
        Assert.Equal("1!", TextOf(_p.Recover().Decide(new GetValue("c")).Reply));
    }

    [Fact]
    public void Randomkey_picks_a_live_key_or_none()
    {
        Assert.Equal([], Assert.IsType<PartPage>(_p.Run(new RandomKey("x"))).Keys);
        _p.Run(new SetValue("gone", Text("v"), Expiry.After(TimeSpan.FromSeconds(1))));
        _p.Run(new SetValue("a", Text("1")));
        _p.Run(new SetValue("b", Text("2")));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var seen = Enumerable.Range(0, 50).Select(_ => Assert.Single(Assert.IsType<PartPage>(_p.Run(new RandomKey("x"))).Keys)).ToHashSet();
        Assert.Equal(["a", "b"], seen.Order());
    }

    [Fact]
    public void Setbit_grows_with_zeros_answers_the_old_bit_and_journals_only_changes()
    {
        Assert.Equal(new CounterValue(0), _p.Run(new SetBit("b", 7, true)));
        Assert.Equal(new byte[] { 0x01 }, Assert.IsType<Found>(_p.Run(new GetValue("b"))).Value!.Data);
        var journaled = _p.Journal.Count;
        Assert.Equal(new CounterValue(1), _p.Run(new SetBit("b", 7, true)));
        Assert.Equal(journaled, _p.Journal.Count);
        Assert.Equal(new CounterValue(0), _p.Run(new SetBit("b", 17, true)));
        Assert.Equal(new byte[] { 0x01, 0x00, 0x40 }, Assert.IsType<Found>(_p.Run(new GetValue("b"))).Value!.Data);
        Assert.Equal(new Rejected(CacheErrorCode.ValueTooLarge, 33, 32), _p.Run(new SetBit("b", 32 * 8, true)));
        _p.Run(new SetValue("obj", new CacheValue(ValueKind.Object, [1])));
        Assert.Equal(new Rejected(CacheErrorCode.WrongType), _p.Run(new SetBit("obj", 0, true)));
        Assert.Equal(new byte[] { 0x01, 0x00, 0x40 }, Assert.IsType<Found>(_p.Recover().Decide(new GetValue("b")).Reply).Value!.Data);
    }
}
