using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

/// <summary>The hash type's commands decided and applied by a <see cref="PartitionState"/> alone, no
/// ActorSystem: Redis 7's replies and edge cases (t_hash.c), what they journal, and the key rules.</summary>
public class HashCommandsTests
{
    private PartitionState _state = new(new PartitionLimits(MaxKeyBytes: 64, MaxValueBytes: 4_000_000, MaxCollectionElements: 200_000));

    private static HashField F(string field, string value) => new(field, Encoding.UTF8.GetBytes(value));

    private static CacheValue Text(string s) => new(ValueKind.String, Encoding.UTF8.GetBytes(s));

    private ICacheReply Run(IClientCommand command, Guid requestId = default)
    {
        var decision = _state.Decide(command, requestId);
        if (decision.Event is not null)
            _state.Apply(decision.Event);
        return decision.Reply;
    }

    private string? HGet(string key, string field) =>
        Assert.IsType<Values>(Run(new HashGetFields(key, [field]))).Items[0] is { } v ? Encoding.UTF8.GetString(v.Data) : null;

    private static Rejected Refused(ICacheReply reply, CacheErrorCode code)
    {
        var rejected = Assert.IsType<Rejected>(reply);
        Assert.Equal(code, rejected.Code);
        return rejected;
    }

    [Fact]
    public void Hset_answers_the_fields_it_added_and_a_field_given_twice_takes_its_last_value()
    {
        Assert.Equal(new CounterValue(2), Run(new HashSetFields("h", [F("a", "1"), F("b", "2"), F("a", "3")])));
        Assert.Equal(new CounterValue(1), Run(new HashSetFields("h", [F("b", "x"), F("c", "y")])));
        Assert.Equal("3", HGet("h", "a"));
        Assert.Equal("x", HGet("h", "b"));
        Assert.Null(HGet("h", "missing"));
        Assert.Null(HGet("nokey", "a"));
        Assert.Equal(new CounterValue(3), Run(new HashLength("h")));
        Assert.Equal(new CounterValue(0), Run(new HashLength("nokey")));
    }

    [Fact]
    public void Hsetnx_sets_only_a_field_that_is_absent()
    {
        Assert.Equal(new Written(true), Run(new HashSetFields("h", [F("a", "1")], IfAbsent: true)));
        Assert.Equal(new Written(false), Run(new HashSetFields("h", [F("a", "2")], IfAbsent: true)));
        Assert.Equal("1", HGet("h", "a"));
    }

    [Fact]
    public void Hdel_counts_the_fields_it_removed_and_the_last_one_deletes_the_key()
    {
        Run(new HashSetFields("h", [F("a", "1"), F("b", "2")]));
        Assert.Equal(new CounterValue(1), Run(new HashDeleteFields("h", ["a", "a", "zz"])));
        Assert.Equal(new CounterValue(0), Run(new HashDeleteFields("h", ["a"])));
        var last = _state.Decide(new HashDeleteFields("h", ["b"]));
        Assert.IsType<EntryRemoved>(Assert.Single(last.Event!.Changes));
        _state.Apply(last.Event);
        Assert.Equal(new Existence(false), Run(new KeyExists("h")));
        Assert.Equal(new KeyDescription("none", null), Run(new DescribeKey("h")));
        Assert.Equal(0, _state.Count);
        Assert.Equal(0, _state.UsedBytes);
    }

    [Fact]
    public void String_commands_on_a_hash_and_hash_commands_on_a_string_answer_wrongtype()
    {
        Run(new HashSetFields("h", [F("a", "1")]));
        Run(new SetValue("s", Text("v")));
        Refused(Run(new GetValue("h")), CacheErrorCode.WrongType);
        Refused(Run(new IncrementBy("h", 1)), CacheErrorCode.WrongType);
        Refused(Run(new AppendValue("h", [1])), CacheErrorCode.WrongType);
        Refused(Run(new HashSetFields("s", [F("a", "1")])), CacheErrorCode.WrongType);
        Refused(Run(new HashGetFields("s", ["a"])), CacheErrorCode.WrongType);
        Refused(Run(new HashIncrementBy("s", "a", 1)), CacheErrorCode.WrongType);
        Refused(Run(new HashDeleteFields("s", ["a"])), CacheErrorCode.WrongType);
        Refused(Run(new HashGetAll("s")), CacheErrorCode.WrongType);
        // MGET reads a key of another type as missing, as Redis does; SET replaces whatever the key holds.
        Assert.Null(Assert.IsType<Values>(Run(new MultiGetPart(0, ["h"]))).Items[0]);
        Assert.Equal(Stored.Instance, Run(new SetValue("h", Text("now a string"))));
        Assert.Equal(new KeyDescription("string", "embstr"), Run(new DescribeKey("h")));
    }

    [Fact]
    public void Hincrby_starts_a_missing_field_at_zero_and_refuses_what_redis_refuses()
    {
        Assert.Equal(new CounterValue(5), Run(new HashIncrementBy("h", "n", 5)));
        Assert.Equal(new CounterValue(2), Run(new HashIncrementBy("h", "n", -3)));
        Run(new HashSetFields("h", [F("text", "abc"), F("max", long.MaxValue.ToString())]));
        Refused(Run(new HashIncrementBy("h", "text", 1)), CacheErrorCode.HashValueNotInteger);
        Refused(Run(new HashIncrementBy("h", "max", 1)), CacheErrorCode.IntegerOverflow);
        Assert.Equal(long.MaxValue.ToString(), HGet("h", "max"));
    }

    [Theory]
    [InlineData("10.50", "0.1", "10.6")]
    [InlineData("5.0e3", "2.0e2", "5200")]
    [InlineData("3", "-3", "0")]
    public void Hincrbyfloat_sums_and_formats_like_redis(string current, string delta, string expected)
    {
        Run(new HashSetFields("h", [F("f", current)]));
        Assert.Equal(expected, Encoding.UTF8.GetString(Assert.IsType<Found>(Run(new HashIncrementByFloat("h", "f", delta))).Value!.Data));
        Assert.Equal(expected, HGet("h", "f"));
    }

    [Fact]
    public void Hincrbyfloat_refuses_a_field_that_is_not_a_number_and_an_infinite_result()
    {
        Run(new HashSetFields("h", [F("text", "abc"), F("big", "1.7e308")]));
        Refused(Run(new HashIncrementByFloat("h", "text", "1")), CacheErrorCode.HashValueNotFloat);
        Refused(Run(new HashIncrementByFloat("h", "big", "1.7e308")), CacheErrorCode.FloatOverflow);
        Assert.Equal("1.5", Encoding.UTF8.GetString(((Found)Run(new HashIncrementByFloat("h", "new", "1.5"))).Value!.Data));
    }

    [Fact]
    public void Hrandfield_follows_redis_for_every_count()
    {
        Run(new HashSetFields("h", [F("a", "1"), F("b", "2"), F("c", "3")]));
        Assert.Single(Assert.IsType<HashEntries>(Run(new HashRandomFields("h", null))).Fields);
        Assert.Empty(Assert.IsType<HashEntries>(Run(new HashRandomFields("h", 0))).Fields);
        Assert.Empty(Assert.IsType<HashEntries>(Run(new HashRandomFields("missing", 5))).Fields);
        Assert.Empty(Assert.IsType<HashEntries>(Run(new HashRandomFields("missing", null))).Fields);
        var two = Assert.IsType<HashEntries>(Run(new HashRandomFields("h", 2))).Fields;
        Assert.Equal(2, two.Select(f => f.Field).Distinct().Count());
        var all = Assert.IsType<HashEntries>(Run(new HashRandomFields("h", 10))).Fields;
        Assert.Equal(["a", "b", "c"], all.Select(f => f.Field.ToString()).Order());
        // A negative count gives exactly |count| fields, repeating: 30 picks of 3 fields must repeat.
        var repeated = Assert.IsType<HashEntries>(Run(new HashRandomFields("h", -30))).Fields;
        Assert.Equal(30, repeated.Length);
        Assert.True(repeated.Select(f => f.Field).Distinct().Count() <= 3);
        Assert.All(repeated, f => Assert.Equal(HGet("h", f.Field.ToString()), Encoding.UTF8.GetString(f.Value)));
    }

    [Fact]
    public void Hscan_returns_every_field_once_across_its_pages()
    {
        Run(new HashSetFields("h", Enumerable.Range(0, 1000).Select(i => F("f" + i, "v" + i)).ToArray()));
        var seen = new List<string>();
        CacheKey? after = null;
        var pages = 0;
        do
        {
            var page = Assert.IsType<HashPage>(Run(new HashScan("h", after, 10)));
            seen.AddRange(page.Fields.Select(f => f.Field.ToString()));
            after = page.Next;
            pages++;
        }
        while (after is not null);
        Assert.Equal(1000, seen.Count);
        Assert.Equal(1000, seen.Distinct().Count());
        Assert.InRange(pages, 2, 100);
        // A small hash comes whole, as Redis answers a listpack.
        Run(new HashSetFields("small", [F("a", "1"), F("b", "2"), F("c", "3")]));
        var small = Assert.IsType<HashPage>(Run(new HashScan("small", null, 1)));
        Assert.Equal(3, small.Fields.Length);
        Assert.Null(small.Next);
    }

    [Fact]
    public void A_write_to_a_large_hash_journals_only_the_field_it_changed()
    {
        Run(new HashSetFields("big", Enumerable.Range(0, 100_000).Select(i => F("f" + i, "v")).ToArray()));
        var set = _state.Decide(new HashSetFields("big", [F("f7", "changed")]));
        var change = Assert.IsType<HashFieldsSet>(Assert.Single(set.Event!.Changes));
        Assert.Equal([F("f7", "changed").Field], change.Fields.Select(f => f.Field));
        var incr = _state.Decide(new HashIncrementBy("big", "n", 41));
        var journaled = Assert.IsType<HashFieldsSet>(Assert.Single(incr.Event!.Changes));
        // The new value, not the increment: replay sets 41 whatever it finds.
        Assert.Equal("41", Encoding.UTF8.GetString(Assert.Single(journaled.Fields).Value));
    }

    [Fact]
    public void A_retried_hincrby_with_the_same_request_id_applies_once()
    {
        var id = Guid.NewGuid();
        Assert.Equal(new CounterValue(10), Run(new HashIncrementBy("h", "n", 10), id));
        var retry = _state.Decide(new HashIncrementBy("h", "n", 10), id);
        Assert.Null(retry.Event);
        Assert.Equal(new CounterValue(10), retry.Reply);
        Assert.Equal("10", HGet("h", "n"));
        Assert.Equal(new CounterValue(20), Run(new HashIncrementBy("h", "n", 10), Guid.NewGuid()));
    }

    [Fact]
    public void A_collection_past_its_element_or_byte_limit_is_refused_and_nothing_changes()
    {
        _state = new PartitionState(new PartitionLimits(64, MaxValueBytes: 100, MaxCollectionElements: 3));
        Run(new HashSetFields("h", [F("a", "1"), F("b", "2"), F("c", "3")]));
        var tooMany = Refused(Run(new HashSetFields("h", [F("d", "4")])), CacheErrorCode.CollectionTooLong);
        Assert.Equal((4L, 3L), (tooMany.Size, tooMany.Limit));
        Assert.Equal(new CounterValue(0), Run(new HashSetFields("h", [F("a", "overwritten")])));
        Refused(Run(new HashSetFields("h", [F("b", new string('x', 95))])), CacheErrorCode.CollectionTooLarge);
        Assert.Equal("2", HGet("h", "b"));
        Assert.Equal(new CounterValue(3), Run(new HashLength("h")));
    }

    [Fact]
    public void Memory_counts_every_field_and_eviction_frees_a_hash_as_one_key()
    {
        var state = new PartitionState(PartitionLimits.Default, memory: new MemoryPolicy(EvictionPolicy.AllKeysLru, () => 20_000));
        void Do(IClientCommand c) { var d = state.Decide(c); if (d.Event is not null) state.Apply(d.Event); }
        Do(new HashSetFields("h", [F("a", "1")]));
        var one = state.UsedBytes;
        Do(new HashSetFields("h", Enumerable.Range(0, 100).Select(i => F("f" + i, new string('v', 50))).ToArray()));
        Assert.True(state.UsedBytes >= one + 100 * (50 + HashValue.FieldOverheadBytes), $"{state.UsedBytes} counts the fields");
        // Past the budget the least recently used key goes, hash and all.
        Do(new HashSetFields("other", Enumerable.Range(0, 120).Select(i => F("g" + i, new string('w', 50))).ToArray()));
        Assert.Equal(1, state.Count);
        Assert.Equal(1, state.Evictions);
        Do(new DeleteKey("other"));
        Assert.Equal(0, state.UsedBytes);
    }

    [Fact]
    public void Type_and_encoding_are_the_values_own()
    {
        Run(new HashSetFields("h", [F("a", "1")]));
        Assert.Equal(new KeyDescription("hash", "listpack"), Run(new DescribeKey("h")));
        Run(new HashSetFields("h", [F("long", new string('x', 65))]));
        Assert.Equal(new KeyDescription("hash", "hashtable"), Run(new DescribeKey("h")));
        Run(new SetValue("n", Text("12")));
        Assert.Equal(new KeyDescription("string", "int"), Run(new DescribeKey("n")));
    }

    [Fact]
    public void Key_commands_work_on_a_hash_and_a_copy_is_its_own()
    {
        Run(new HashSetFields("h", [F("a", "1"), F("b", "2")]));
        Assert.Equal(new Existence(true), Run(new ExpireKey("h", new Expiry(ExpiryKind.After, 60_000))));
        Assert.Equal(new Existence(true), Run(new CopyKey("h", "copy")));
        Run(new HashSetFields("h", [F("a", "changed")]));
        Assert.Equal("1", HGet("copy", "a"));
        Assert.True(((CounterValue)Run(new TimeToLive("copy"))).Value > 0, "the copy keeps the expiry");
        Assert.Equal(Stored.Instance, Run(new RenameKey("copy", "moved")));
        Assert.Equal("2", HGet("moved", "b"));
        Assert.Equal(new Existence(true), Run(new PersistKey("moved")));
        Assert.Equal(new CounterValue(-1), Run(new TimeToLive("moved")));
        var page = Assert.IsType<PartPage>(Run(new ScanPart(0, null, 10, "hash")));
        Assert.Equal(["h", "moved"], page.Keys.Select(k => k.ToString()).Order());
        Run(new SetValue("s", Text("v")));
        Assert.Equal(["s"], Assert.IsType<PartPage>(Run(new ScanPart(0, null, 10, "string"))).Keys.Select(k => k.ToString()));
        Assert.Equal(new Deleted(true), Run(new DeleteKey("h")));
        Run(new FlushPart(0));
        Assert.Equal(0, _state.Count);
    }

    [Fact]
    public void A_hash_rebuilt_from_its_events_or_its_snapshot_equals_the_original()
    {
        var events = new List<ICacheEvent>();
        void Do(IClientCommand c, Guid id = default)
        {
            var d = _state.Decide(c, id);
            if (d.Event is null)
                return;
            _state.Apply(d.Event);
            events.Add(d.Event);
        }
        var retried = Guid.NewGuid();
        Do(new HashSetFields("h", [F("a", "1"), F("b", "2"), F("c", "3")]));
        Do(new HashIncrementBy("h", "a", 41), retried);
        Do(new HashIncrementByFloat("h", "f", "0.5"));
        Do(new HashDeleteFields("h", ["b"]));
        Do(new ExpireKey("h", Expiry.AtUnixMilliseconds(4_000_000_000_000)));
        Do(new CopyKey("h", "c2"));
        Do(new HashSetFields("gone", [F("x", "1")]));
        Do(new HashDeleteFields("gone", ["x"]));
        Do(new SetValue("s", Text("string")));

        var replayed = new PartitionState(PartitionLimits.Default);
        foreach (var e in events)
            replayed.Apply(e);
        Assert.Equal(Describe(_state), Describe(replayed));

        var restored = new PartitionState(PartitionLimits.Default);
        restored.Restore(_state.ToSnapshot());
        Assert.Equal(Describe(_state), Describe(restored));
        Assert.Equal(_state.UsedBytes, restored.UsedBytes);
        // The retry is answered from the restored request window, and applies nothing.
        var retry = restored.Decide(new HashIncrementBy("h", "a", 41), retried);
        Assert.Null(retry.Event);
        Assert.Equal(new CounterValue(42), retry.Reply);
    }

    [Fact]
    public void A_snapshot_keeps_its_fields_while_the_hash_goes_on_changing()
    {
        Run(new HashSetFields("h", [F("a", "1")]));
        var snapshot = _state.ToSnapshot();
        Run(new HashSetFields("h", [F("a", "2"), F("b", "3")]));
        var fields = Assert.Single(snapshot.Entries).Hash!;
        Assert.Equal("1", Encoding.UTF8.GetString(Assert.Single(fields).Value));
    }

    // Everything a state holds, in an order of its own: keys, types, versions, expiry, fields, strings.
    private static string Describe(PartitionState state) => string.Join("\n", state.ToSnapshot().Entries.OrderBy(e => e.Key).Select(e =>
        $"{e.Key} v{e.Version} x{e.ExpiresAt} " + (e.Hash is { } h
            ? "hash " + string.Join(",", h.OrderBy(f => f.Field).Select(f => $"{f.Field}={Encoding.UTF8.GetString(f.Value)}"))
            : "string " + Convert.ToHexString(e.Value.Data))));
}

/// <summary>What the cluster's edge refuses of a hash command before any partition sees it.</summary>
public class HashCommandValidationTests
{
    private static readonly PartitionLimits Limits = new(MaxKeyBytes: 16, MaxValueBytes: 32);

    [Fact]
    public void Hash_commands_without_fields_or_with_a_missing_field_or_value_are_refused()
    {
        var invalid = new Rejected(CacheErrorCode.InvalidArgument);
        Assert.Equal(invalid, CommandValidator.Validate(new HashSetFields("h", []), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new HashSetFields("h", [new HashField("a", null!)]), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new HashSetFields("h", [new HashField(default, [1])]), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new HashSetFields("h", [new HashField("a", [1]), new HashField("b", [2])], IfAbsent: true), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new HashGetFields("h", []), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new HashDeleteFields("h", [default]), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new HashIncrementBy("h", default, 1), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new HashRandomFields("h", long.MinValue), Limits));
        Assert.Null(CommandValidator.Validate(new HashRandomFields("h", -CommandValidator.MaxRandomPicks), Limits));
        Assert.Equal(new Rejected(CacheErrorCode.ValueTooLarge, 33, 32), CommandValidator.Validate(new HashSetFields("h", [new HashField("a", new byte[33])]), Limits));
        Assert.Equal(new Rejected(CacheErrorCode.NotAFloat), CommandValidator.Validate(new HashIncrementByFloat("h", "f", "nan"), Limits));
        Assert.Equal(new Rejected(CacheErrorCode.KeyTooLong, 17, 16), CommandValidator.Validate(new HashGetAll("seventeen-bytes!!"), Limits));
        // An empty field name is a field, as in Redis.
        Assert.Null(CommandValidator.Validate(new HashSetFields("h", [new HashField(""u8.ToArray(), [1])]), Limits));
    }
}
