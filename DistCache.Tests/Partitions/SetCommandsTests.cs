using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

/// <summary>The set type's commands decided and applied by a <see cref="PartitionState"/> alone, no
/// ActorSystem: Redis 7's replies and edge cases (t_set.c), what they journal, and the key rules.</summary>
public class SetCommandsTests
{
    private PartitionState _state = new(new PartitionLimits(MaxKeyBytes: 64, MaxValueBytes: 4_000_000, MaxCollectionElements: 200_000));

    private static CacheKey[] M(params string[] members) => members.Select(m => (CacheKey)m).ToArray();

    private static CacheValue Text(string s) => new(ValueKind.String, Encoding.UTF8.GetBytes(s));

    private ICacheReply Run(IClientCommand command, Guid requestId = default)
    {
        var decision = _state.Decide(command, requestId);
        if (decision.Event is not null)
            _state.Apply(decision.Event);
        return decision.Reply;
    }

    private string[] Members(string key) => Assert.IsType<SetMembers>(Run(new SetGetMembers(key))).Members.Select(m => m.ToString()).Order().ToArray();

    private static Rejected Refused(ICacheReply reply, CacheErrorCode code)
    {
        var rejected = Assert.IsType<Rejected>(reply);
        Assert.Equal(code, rejected.Code);
        return rejected;
    }

    [Fact]
    public void Sadd_answers_the_members_it_added_and_journals_only_those()
    {
        Assert.Equal(new CounterValue(2), Run(new SetAddMembers("s", M("a", "b", "a"))));
        var again = _state.Decide(new SetAddMembers("s", M("b", "c", "c")));
        Assert.Equal(new CounterValue(1), again.Reply);
        Assert.Equal(["c"], Assert.IsType<SetMembersAdded>(Assert.Single(again.Event!.Changes)).Members.Select(m => m.ToString()));
        _state.Apply(again.Event);
        Assert.Equal(new CounterValue(0), Run(new SetAddMembers("s", M("a"))));
        Assert.Equal(["a", "b", "c"], Members("s"));
        Assert.Equal(new CounterValue(3), Run(new SetLength("s")));
        Assert.Equal(new CounterValue(0), Run(new SetLength("nokey")));
        Assert.Empty(Members("nokey"));
        Assert.Equal([true, false, true], Assert.IsType<MemberFlags>(Run(new SetContainsMembers("s", M("a", "z", "c")))).Found);
    }

    [Fact]
    public void Srem_counts_the_members_it_removed_and_the_last_one_deletes_the_key()
    {
        Run(new SetAddMembers("s", M("a", "b")));
        Assert.Equal(new CounterValue(1), Run(new SetRemoveMembers("s", M("a", "a", "zz"))));
        Assert.Equal(new CounterValue(0), Run(new SetRemoveMembers("s", M("a"))));
        var last = _state.Decide(new SetRemoveMembers("s", M("b")));
        Assert.IsType<EntryRemoved>(Assert.Single(last.Event!.Changes));
        _state.Apply(last.Event);
        Assert.Equal(new KeyDescription("none", null), Run(new DescribeKey("s")));
        Assert.Equal(0, _state.UsedBytes);
    }

    [Fact]
    public void Set_commands_on_a_string_and_string_commands_on_a_set_answer_wrongtype()
    {
        Run(new SetAddMembers("s", M("a")));
        Run(new SetValue("str", Text("v")));
        Run(new HashSetFields("h", [new HashField("f", [1])]));
        Refused(Run(new GetValue("s")), CacheErrorCode.WrongType);
        Refused(Run(new HashGetAll("s")), CacheErrorCode.WrongType);
        foreach (var key in new[] { "str", "h" })
        {
            Refused(Run(new SetAddMembers(key, M("a"))), CacheErrorCode.WrongType);
            Refused(Run(new SetRemoveMembers(key, M("a"))), CacheErrorCode.WrongType);
            Refused(Run(new SetGetMembers(key)), CacheErrorCode.WrongType);
            Refused(Run(new SetContainsMembers(key, M("a"))), CacheErrorCode.WrongType);
            Refused(Run(new SetLength(key)), CacheErrorCode.WrongType);
            Refused(Run(new SetPop(key, null)), CacheErrorCode.WrongType);
            Refused(Run(new SetRandomMembers(key, 2)), CacheErrorCode.WrongType);
            Refused(Run(new SetScan(key, null, 10)), CacheErrorCode.WrongType);
            Refused(Run(new SetStore("dest", [(CacheKey)"s", key], SetOperation.Union)), CacheErrorCode.WrongType);
        }
        Assert.Equal(new KeyDescription("set", "listpack"), Run(new DescribeKey("s")));
    }

    [Fact]
    public void Spop_removes_what_it_answers_and_a_retry_answers_the_same_members_popping_nothing_more()
    {
        Run(new SetAddMembers("s", M("a", "b", "c", "d", "e")));
        var id = Guid.NewGuid();
        var popped = Assert.IsType<SetMembers>(Run(new SetPop("s", 2), id)).Members;
        Assert.Equal(2, popped.Distinct().Count());
        Assert.Equal(new CounterValue(3), Run(new SetLength("s")));
        var retry = _state.Decide(new SetPop("s", 2), id);
        Assert.Null(retry.Event);
        Assert.Equal(popped, Assert.IsType<SetMembers>(retry.Reply).Members);
        Assert.Equal(new CounterValue(3), Run(new SetLength("s")));
        Assert.Single(Assert.IsType<SetMembers>(Run(new SetPop("s", null))).Members);
        Assert.Empty(Assert.IsType<SetMembers>(Run(new SetPop("s", 0))).Members);
        Assert.Empty(Assert.IsType<SetMembers>(Run(new SetPop("nokey", 3))).Members);
        // Popping more than there are takes all and deletes the key.
        Assert.Equal(2, Assert.IsType<SetMembers>(Run(new SetPop("s", 10))).Members.Length);
        Assert.Equal(new Existence(false), Run(new KeyExists("s")));
    }

    [Fact]
    public void Srandmember_follows_redis_for_every_count()
    {
        Run(new SetAddMembers("s", M("a", "b", "c")));
        Assert.Single(Assert.IsType<SetMembers>(Run(new SetRandomMembers("s", null))).Members);
        Assert.Equal(2, Assert.IsType<SetMembers>(Run(new SetRandomMembers("s", 2))).Members.Distinct().Count());
        Assert.Equal(3, Assert.IsType<SetMembers>(Run(new SetRandomMembers("s", 10))).Members.Length);
        var repeated = Assert.IsType<SetMembers>(Run(new SetRandomMembers("s", -20))).Members;
        Assert.Equal(20, repeated.Length);
        Assert.All(repeated, m => Assert.Contains(m.ToString(), new[] { "a", "b", "c" }));
        Assert.Empty(Assert.IsType<SetMembers>(Run(new SetRandomMembers("s", 0))).Members);
        Assert.Empty(Assert.IsType<SetMembers>(Run(new SetRandomMembers("nokey", -3))).Members);
        Assert.Equal(new CounterValue(3), Run(new SetLength("s")));
    }

    [Fact]
    public void Smove_moves_one_member_atomically_as_redis_does()
    {
        Run(new SetAddMembers("src", M("a", "b")));
        Run(new SetAddMembers("dst", M("b")));
        Run(new SetValue("str", Text("v")));
        Assert.Equal(new Written(false), Run(new SetMove("nokey", "str", "a")));
        Refused(Run(new SetMove("src", "str", "a")), CacheErrorCode.WrongType);
        Assert.Equal(new Written(true), Run(new SetMove("src", "src", "a")));
        Assert.Equal(new Written(false), Run(new SetMove("src", "dst", "zz")));
        Assert.Equal(new Written(true), Run(new SetMove("src", "dst", "a")));
        Assert.Equal(["b"], Members("src"));
        Assert.Equal(["a", "b"], Members("dst"));
        // Already in the destination: it only leaves the source, which goes with its last member.
        Assert.Equal(new Written(true), Run(new SetMove("src", "dst", "b")));
        Assert.Equal(new Existence(false), Run(new KeyExists("src")));
        Assert.Equal(new Written(true), Run(new SetMove("dst", "new", "a")));
        Assert.Equal(["a"], Members("new"));
    }

    [Fact]
    public void Store_forms_replace_the_destination_and_an_empty_result_deletes_it()
    {
        Run(new SetAddMembers("a", M("1", "2", "3")));
        Run(new SetAddMembers("b", M("2", "3", "4")));
        Run(new SetValue("dest", Text("was a string")));
        Assert.Equal(new Existence(true), Run(new ExpireKey("dest", new Expiry(ExpiryKind.After, 60_000))));
        Assert.Equal(new CounterValue(2), Run(new SetStore("dest", M("a", "b"), SetOperation.Intersect)));
        Assert.Equal(["2", "3"], Members("dest"));
        Assert.Equal(new CounterValue(-1), Run(new TimeToLive("dest")));
        Assert.Equal(new CounterValue(4), Run(new SetStore("dest", M("a", "b", "nokey"), SetOperation.Union)));
        Assert.Equal(new CounterValue(1), Run(new SetStore("dest", M("a", "b"), SetOperation.Difference)));
        Assert.Equal(["1"], Members("dest"));
        // The destination may be a source.
        Assert.Equal(new CounterValue(2), Run(new SetStore("a", M("a", "b"), SetOperation.Intersect)));
        Assert.Equal(new CounterValue(0), Run(new SetStore("dest", M("a", "nokey"), SetOperation.Intersect)));
        Assert.Equal(new Existence(false), Run(new KeyExists("dest")));
        Assert.Equal(new CounterValue(0), Run(new SetStore("dest", M("nokey"), SetOperation.Union)));
    }

    [Fact]
    public void Set_algebra_treats_a_missing_key_as_an_empty_set()
    {
        IReadOnlySet<CacheKey> S(params string[] m) => M(m).ToHashSet();
        string[] Sorted(List<CacheKey> r) => r.Select(k => k.ToString()).Order().ToArray();
        Assert.Equal(["b"], Sorted(SetAlgebra.Combine(SetOperation.Intersect, [S("a", "b"), S("b", "c")])));
        Assert.Empty(SetAlgebra.Combine(SetOperation.Intersect, [S("a"), null]));
        Assert.Equal(["a", "b", "c"], Sorted(SetAlgebra.Combine(SetOperation.Union, [S("a", "b"), null, S("c")])));
        Assert.Equal(["a"], Sorted(SetAlgebra.Combine(SetOperation.Difference, [S("a", "b"), S("b"), null])));
        Assert.Empty(SetAlgebra.Combine(SetOperation.Difference, [null, S("b")]));
        Assert.Equal(2, SetAlgebra.IntersectionCount([S("a", "b", "c"), S("a", "b", "c", "d")], 2));
        Assert.Equal(3, SetAlgebra.IntersectionCount([S("a", "b", "c"), S("a", "b", "c", "d")], 0));
    }

    [Fact]
    public void Sscan_returns_every_member_once_across_its_pages()
    {
        Run(new SetAddMembers("big", Enumerable.Range(0, 1000).Select(i => (CacheKey)("m" + i)).ToArray()));
        var seen = new List<string>();
        CacheKey? after = null;
        var pages = 0;
        do
        {
            var page = Assert.IsType<SetPage>(Run(new SetScan("big", after, 10)));
            seen.AddRange(page.Members.Select(m => m.ToString()));
            after = page.Next;
            pages++;
        } while (after is not null);
        Assert.Equal(1000, seen.Count);
        Assert.Equal(1000, seen.Distinct().Count());
        Assert.True(pages <= 100, $"{pages} pages");
        Run(new SetAddMembers("small", M("x", "y", "z")));
        var small = Assert.IsType<SetPage>(Run(new SetScan("small", null, 1)));
        Assert.Equal(3, small.Members.Length);
        Assert.Null(small.Next);
    }

    [Fact]
    public void Encoding_follows_redis_72_and_never_shrinks()
    {
        Run(new SetAddMembers("i", M("1", "2", "-3")));
        Assert.Equal(new KeyDescription("set", "intset"), Run(new DescribeKey("i")));
        Run(new SetAddMembers("i", M("01")));
        Assert.Equal(new KeyDescription("set", "listpack"), Run(new DescribeKey("i")));
        Run(new SetAddMembers("i", M(new string('x', 65))));
        Assert.Equal(new KeyDescription("set", "hashtable"), Run(new DescribeKey("i")));
        Run(new SetRemoveMembers("i", M(new string('x', 65))));
        Assert.Equal(new KeyDescription("set", "hashtable"), Run(new DescribeKey("i")));
        Run(new SetAddMembers("n", Enumerable.Range(0, 512).Select(i => (CacheKey)i.ToString()).ToArray()));
        Assert.Equal(new KeyDescription("set", "intset"), Run(new DescribeKey("n")));
        Run(new SetAddMembers("n", M("512")));
        Assert.Equal(new KeyDescription("set", "hashtable"), Run(new DescribeKey("n")));
        Run(new SetAddMembers("l", Enumerable.Range(0, 128).Select(i => (CacheKey)("m" + i)).ToArray()));
        Assert.Equal(new KeyDescription("set", "listpack"), Run(new DescribeKey("l")));
        Run(new SetAddMembers("l", M("one more")));
        Assert.Equal(new KeyDescription("set", "hashtable"), Run(new DescribeKey("l")));
    }

    [Fact]
    public void A_collection_past_its_element_or_byte_limit_is_refused_and_nothing_changes()
    {
        _state = new PartitionState(new PartitionLimits(64, MaxValueBytes: 100, MaxCollectionElements: 3));
        Run(new SetAddMembers("s", M("a", "b", "c")));
        var tooMany = Refused(Run(new SetAddMembers("s", M("d"))), CacheErrorCode.CollectionTooLong);
        Assert.Equal((4L, 3L), (tooMany.Size, tooMany.Limit));
        Assert.Equal(new CounterValue(0), Run(new SetAddMembers("s", M("a"))));
        Run(new SetRemoveMembers("s", M("c")));
        Refused(Run(new SetAddMembers("s", M(new string('x', 99)))), CacheErrorCode.CollectionTooLarge);
        Assert.Equal(["a", "b"], Members("s"));
    }

    [Fact]
    public void Memory_counts_every_member_and_eviction_frees_a_set_as_one_key()
    {
        var state = new PartitionState(PartitionLimits.Default, memory: new MemoryPolicy(EvictionPolicy.AllKeysLru, () => 20_000));
        void Do(IClientCommand c) { var d = state.Decide(c); if (d.Event is not null) state.Apply(d.Event); }
        Do(new SetAddMembers("s", M("a")));
        var one = state.UsedBytes;
        Do(new SetAddMembers("s", Enumerable.Range(0, 100).Select(i => (CacheKey)(i + new string('v', 50))).ToArray()));
        Assert.True(state.UsedBytes >= one + 100 * (50 + MemberSet.MemberOverheadBytes), $"{state.UsedBytes} counts the members");
        Do(new SetAddMembers("other", Enumerable.Range(0, 150).Select(i => (CacheKey)(i + new string('w', 50))).ToArray()));
        Assert.Equal(1, state.Count);
        Assert.Equal(1, state.Evictions);
        Do(new DeleteKey("other"));
        Assert.Equal(0, state.UsedBytes);
    }

    [Fact]
    public void Key_commands_work_on_a_set_and_a_copy_is_its_own()
    {
        Run(new SetAddMembers("s", M("a", "b")));
        Assert.Equal(new Existence(true), Run(new ExpireKey("s", new Expiry(ExpiryKind.After, 60_000))));
        Assert.Equal(new Existence(true), Run(new CopyKey("s", "copy")));
        Run(new SetAddMembers("s", M("c")));
        Assert.Equal(["a", "b"], Members("copy"));
        Assert.True(((CounterValue)Run(new TimeToLive("copy"))).Value > 0, "the copy keeps the expiry");
        Assert.Equal(Stored.Instance, Run(new RenameKey("copy", "moved")));
        Assert.Equal(["a", "b"], Members("moved"));
        Run(new SetValue("str", Text("v")));
        var page = Assert.IsType<PartPage>(Run(new ScanPart(0, null, 10, "set")));
        Assert.Equal(["moved", "s"], page.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(new Deleted(true), Run(new DeleteKey("s")));
    }

    [Fact]
    public void A_set_rebuilt_from_its_events_or_its_snapshot_equals_the_original()
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
        var popId = Guid.NewGuid();
        Do(new SetAddMembers("s", M("a", "b", "c", "d", "1")));
        Do(new SetPop("s", 2), popId);
        Do(new SetRemoveMembers("s", M("a", "1")));
        Do(new SetAddMembers("t", M("x", "c", "d")));
        Do(new SetMove("t", "s", "x"));
        Do(new ExpireKey("s", Expiry.AtUnixMilliseconds(4_000_000_000_000)));
        Do(new CopyKey("s", "c2"));
        Do(new SetStore("u", M("s", "t"), SetOperation.Union));
        Do(new SetAddMembers("gone", M("x")));
        Do(new SetPop("gone", null));
        Do(new SetValue("str", Text("string")));

        var replayed = new PartitionState(PartitionLimits.Default);
        foreach (var e in events)
            replayed.Apply(e);
        Assert.Equal(Describe(_state), Describe(replayed));

        var restored = new PartitionState(PartitionLimits.Default);
        restored.Restore(_state.ToSnapshot());
        Assert.Equal(Describe(_state), Describe(restored));
        Assert.Equal(_state.UsedBytes, restored.UsedBytes);
        var popped = Assert.IsType<PartitionChanged>(events[1]).Reply;
        var retry = restored.Decide(new SetPop("s", 2), popId);
        Assert.Null(retry.Event);
        Assert.Equal(((SetMembers)popped!).Members, Assert.IsType<SetMembers>(retry.Reply).Members);
    }

    [Fact]
    public void A_snapshot_keeps_its_members_while_the_set_goes_on_changing()
    {
        Run(new SetAddMembers("s", M("a")));
        var snapshot = _state.ToSnapshot();
        Run(new SetAddMembers("s", M("b", "c")));
        Assert.Equal("a", Assert.Single(Assert.Single(snapshot.Entries).Set!).ToString());
    }

    // Everything a state holds, in an order of its own: keys, types, versions, expiry, members, strings.
    internal static string Describe(PartitionState state) => string.Join("\n", state.ToSnapshot().Entries.OrderBy(e => e.Key).Select(e =>
        $"{e.Key} v{e.Version} x{e.ExpiresAt} " + (e.Set is { } s
            ? "set " + string.Join(",", s.Order().Select(m => m.ToString()))
            : "string " + Convert.ToHexString(e.Value.Data))));
}

/// <summary>What the cluster's edge refuses of a set command before any partition sees it.</summary>
public class SetCommandValidationTests
{
    private static readonly PartitionLimits Limits = new(MaxKeyBytes: 16, MaxValueBytes: 32);

    [Fact]
    public void Set_commands_without_members_or_across_partitions_are_refused()
    {
        var invalid = new Rejected(CacheErrorCode.InvalidArgument);
        Assert.Equal(invalid, CommandValidator.Validate(new SetAddMembers("s", []), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new SetRemoveMembers("s", [default]), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new SetContainsMembers("s", []), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new SetPop("s", -1), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new SetStore("d", [], SetOperation.Union), Limits));
        Assert.Equal(invalid, CommandValidator.Validate(new SetMove("a", "b", default), Limits));
        Assert.Equal(new Rejected(CacheErrorCode.ValueTooLarge, 33, 32), CommandValidator.Validate(new SetAddMembers("s", [new byte[33]]), Limits));
        Assert.Null(CommandValidator.Validate(new SetAddMembers("s", [""u8.ToArray()]), Limits));
        // Keys in different partitions: refused before any partition changes.
        var keys = Enumerable.Range(0, 50).Select(i => "k" + i).ToArray();
        var other = keys.First(k => DistCache.Wire.KeyHasher.PartitionOf(k, 16) != DistCache.Wire.KeyHasher.PartitionOf("k0", 16));
        Assert.Equal(new Rejected(CacheErrorCode.CrossSlot), CommandValidator.Validate(new SetMove("k0", other, "m"), Limits, 16));
        Assert.Equal(new Rejected(CacheErrorCode.CrossSlot), CommandValidator.Validate(new SetStore("k0", [other], SetOperation.Union), Limits, 16));
        Assert.Null(CommandValidator.Validate(new SetStore("k0", ["k0"], SetOperation.Union), Limits, 16));
    }
}
