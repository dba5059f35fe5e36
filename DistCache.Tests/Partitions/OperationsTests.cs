using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;
using static DistCache.Tests.Partitions.PartitionTestHarness;

namespace DistCache.Tests.Partitions;

/// <summary>The Redis and Memcached operations of one partition, as plain logic.</summary>
public class OperationsTests
{
    private readonly ManualClock _clock = new();
    private readonly PartitionTestHarness _p;

    public OperationsTests() => _p = new(() => new PartitionState(new PartitionLimits(64, 16), clock: _clock));

    [Fact]
    public void Add_stores_only_when_absent_and_replace_only_when_present()
    {
        Assert.Equal(new Written(false), _p.Run(new SetValue("k", Text("r"), When: SetCondition.IfPresent)));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("k")));
        Assert.Equal(new Written(true), _p.Run(new SetValue("k", Text("a"), When: SetCondition.IfAbsent)));
        Assert.Equal(new Written(false), _p.Run(new SetValue("k", Text("b"), When: SetCondition.IfAbsent)));
        Assert.Equal("a", TextOf(_p.Run(new GetValue("k"))));
        Assert.Equal(new Written(true), _p.Run(new SetValue("k", Text("c"), When: SetCondition.IfPresent)));
        Assert.Equal("c", TextOf(_p.Run(new GetValue("k"))));
    }

    [Fact]
    public void Set_with_return_previous_answers_the_old_value_whether_or_not_it_applied()
    {
        Assert.Equal(new Found(null), _p.Run(new SetValue("k", Text("a"), ReturnPrevious: true)));
        Assert.Equal("a", TextOf(_p.Run(new SetValue("k", Text("b"), ReturnPrevious: true))));
        // NX on a present key: not applied, the reply is still the value the key has.
        Assert.Equal("b", TextOf(_p.Run(new SetValue("k", Text("c"), When: SetCondition.IfAbsent, ReturnPrevious: true))));
        Assert.Equal("b", TextOf(_p.Run(new GetValue("k"))));
        // XX on a missing key: not applied, nothing to return.
        Assert.Equal(new Found(null), _p.Run(new SetValue("missing", Text("x"), When: SetCondition.IfPresent, ReturnPrevious: true)));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("missing")));
    }

    [Fact]
    public void Append_and_prepend_grow_strings_and_counters_and_refuse_objects_and_oversize()
    {
        Assert.Equal(new CounterValue(5), _p.Run(new AppendValue("s", "hello"u8.ToArray())));
        Assert.Equal(new CounterValue(11), _p.Run(new AppendValue("s", " world"u8.ToArray())));
        Assert.Equal(new CounterValue(12), _p.Run(new AppendValue("s", ">"u8.ToArray(), Prepend: true)));
        Assert.Equal(">hello world", TextOf(_p.Run(new GetValue("s"))));

        _p.Run(new IncrementBy("n", 12));
        Assert.Equal(new CounterValue(3), _p.Run(new AppendValue("n", "3"u8.ToArray())));
        Assert.Equal("123", TextOf(_p.Run(new GetValue("n"))));

        _p.Run(new SetValue("o", new CacheValue(ValueKind.Object, "{}"u8.ToArray())));
        Assert.Equal(CacheErrorCode.WrongType, Assert.IsType<Rejected>(_p.Run(new AppendValue("o", "x"u8.ToArray()))).Code);
        Assert.Equal(CacheErrorCode.ValueTooLarge, Assert.IsType<Rejected>(_p.Run(new AppendValue("s", "12345"u8.ToArray()))).Code);
        Assert.Equal(">hello world", TextOf(_p.Run(new GetValue("s"))));
    }

    [Fact]
    public void Getset_and_getdel_return_the_previous_value()
    {
        Assert.Null(TextOf(_p.Run(new GetAndSet("k", Text("1")))));
        Assert.Equal("1", TextOf(_p.Run(new GetAndSet("k", Text("2")))));
        Assert.Equal("2", TextOf(_p.Run(new GetAndDelete("k"))));
        Assert.Null(TextOf(_p.Run(new GetAndDelete("k"))));
        Assert.Equal(new Existence(false), _p.Run(new KeyExists("k")));
    }

    [Fact]
    public void Compare_and_set_applies_only_to_the_version_it_read()
    {
        Assert.Equal(new CasResult(false, 0), _p.Run(new CompareAndSet("k", Text("x"), 1)));
        _p.Run(new SetValue("k", Text("a")));
        var read = Assert.IsType<FoundVersioned>(_p.Run(new GetWithVersion("k")));
        Assert.True(read.Version > 0);

        var won = Assert.IsType<CasResult>(_p.Run(new CompareAndSet("k", Text("b"), read.Version)));
        Assert.True(won.Applied);
        Assert.Equal(won.Version, Assert.IsType<FoundVersioned>(_p.Run(new GetWithVersion("k"))).Version);

        var lost = Assert.IsType<CasResult>(_p.Run(new CompareAndSet("k", Text("c"), read.Version)));
        Assert.False(lost.Applied);
        Assert.Equal(won.Version, lost.Version);
        Assert.Equal("b", TextOf(_p.Run(new GetValue("k"))));

        // Versions survive recovery: the version read before a restart still wins after it.
        var current = Assert.IsType<FoundVersioned>(_p.Run(new GetWithVersion("k"))).Version;
        var recovered = _p.Recover();
        Assert.Equal(current, Assert.IsType<FoundVersioned>(recovered.Decide(new GetWithVersion("k")).Reply).Version);
        var fromSnapshot = new PartitionState(PartitionLimits.Default);
        fromSnapshot.Restore(_p.State.ToSnapshot());
        Assert.True(Assert.IsType<CasResult>(fromSnapshot.Decide(new CompareAndSet("k", Text("d"), current)).Reply).Applied);
    }

    [Fact]
    public void Multi_get_and_multi_set_parts_work_on_many_keys_at_once()
    {
        Assert.Equal(Stored.Instance, _p.Run(new MultiSetPart(0, [new KeyedValue("a", Text("1")), new KeyedValue("b", Text("2"))])));
        var values = Assert.IsType<Values>(_p.Run(new MultiGetPart(0, ["b", "missing", "a"])));
        Assert.Equal(["2", null, "1"], values.Items.Select(v => v is null ? null : Encoding.UTF8.GetString(v.Data)));
        Assert.Single(_p.Journal); // one journaled write for the whole part

    }

    [Fact]
    public void Count_with_expires_counts_live_keys_with_an_expiry()
    {
        _p.Run(new SetValue("forever", Text("v")));
        _p.Run(new SetValue("soon", Text("v"), Expiry.After(TimeSpan.FromSeconds(1))));
        _p.Run(new SetValue("later", Text("v"), Expiry.After(TimeSpan.FromHours(1))));
        _p.Run(new SetValue("kept", Text("v"), Expiry.After(TimeSpan.FromHours(1))));
        _p.Run(new PersistKey("kept"));
        Assert.Equal(new KeyCount(4, 2), _p.Run(new CountPart(0, WithExpires: true)));
        Assert.Equal(new CounterValue(4), _p.Run(new CountPart(0)));

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(new KeyCount(3, 1), _p.Run(new CountPart(0, WithExpires: true)));
    }

    [Fact]
    public void Count_flush_and_scan_cover_the_whole_partition()
    {
        for (var i = 0; i < 25; i++)
            _p.Run(new SetValue($"k{i:D2}", Text("v")));
        Assert.Equal(new CounterValue(25), _p.Run(new CountPart(0)));

        var seen = new List<string>();
        CacheKey? after = null;
        do
        {
            var page = Assert.IsType<PartPage>(_p.Run(new ScanPart(0, after, 10)));
            Assert.InRange(page.Keys.Length, 1, 10);
            seen.AddRange(page.Keys.Select(k => k.ToString()));
            after = page.Next;
        }
        while (after is not null);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"k{i:D2}"), seen);

        Assert.Equal(Stored.Instance, _p.Run(new FlushPart(0)));
        Assert.Equal(new CounterValue(0), _p.Run(new CountPart(0)));
        Assert.Equal(0, _p.Recover().Count);
    }

    [Fact]
    public void Retried_writes_of_every_kind_get_their_first_reply()
    {
        _p.Run(new SetValue("k", Text("a")));
        var id = Guid.NewGuid();
        var first = _p.Run(new GetAndSet("k", Text("b")), id);
        _p.Run(new SetValue("k", Text("c")));
        Assert.Equal("a", TextOf(first));
        Assert.Equal("a", TextOf(_p.Run(new GetAndSet("k", Text("b")), id)));
        Assert.Equal("c", TextOf(_p.Run(new GetValue("k"))));

        var append = Guid.NewGuid();
        Assert.Equal(new CounterValue(2), _p.Run(new AppendValue("k", "x"u8.ToArray()), append));
        Assert.Equal(new CounterValue(2), _p.Run(new AppendValue("k", "x"u8.ToArray()), append));
        Assert.Equal("cx", TextOf(_p.Run(new GetValue("k"))));

        // The window is rebuilt by recovery from the journal.
        var recovered = _p.Recover();
        Assert.Equal(new CounterValue(2), recovered.Decide(new AppendValue("k", "x"u8.ToArray()), append).Reply);
    }
}
