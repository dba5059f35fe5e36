using System.Text;
using DistCache.Actors.Notifications;
using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Partitions;
using DistCache.Tests.Support;
using static DistCache.Tests.Partitions.PartitionTestHarness;

namespace DistCache.Tests.Notifications;

/// <summary>Each command's events through a real partition state, against what redis-server 7.0.15 emitted
/// for the same command (docs/keyspace-events-redis-7.0.15.txt, recorded with KEA: "new" is left out here).
/// A write that changed nothing emits nothing.</summary>
public sealed class KeyspaceEventMapTests
{
    private readonly ManualClock _clock = new();
    private readonly PartitionTestHarness _p;

    public KeyspaceEventMapTests() => _p = new PartitionTestHarness(() => new PartitionState(PartitionLimits.Default, clock: _clock));

    // "event key" for each event the command emits, in order.
    private string[] Events(IClientCommand command) => EventsOf(_p, command);

    private static string[] EventsOf(PartitionTestHarness p, IClientCommand command)
    {
        // The actor decides a blocking call apart (it may wait), then reports it as the call.
        var decided = command is BlockingCall blocking ? p.State.DecideBlocking(blocking, Guid.NewGuid()) : p.State.Decide(command, Guid.NewGuid());
        if (decided is not { Event: { } write } decision)
            return [];
        p.State.Commit(decision);
        var events = new List<KeyspaceEvent>();
        KeyspaceEventMap.Add(command, write, events);
        return events.Select(e => $"{e.Name} {e.Key}").ToArray();
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    // As EventsOf, with "new" for the keys the partition finds missing before the write (as the actor asks with n on).
    private string[] EventsWithNew(IClientCommand command)
    {
        if (_p.State.Decide(command, Guid.NewGuid()) is not { Event: { } write } decision)
            return [];
        var created = _p.State.Missing(write);
        _p.State.Commit(decision);
        var events = new List<KeyspaceEvent>();
        KeyspaceEventMap.Add(command, write, events);
        KeyspaceEventMap.AddNew(command, created, events);
        return events.Select(e => $"{e.Name} {e.Key}").ToArray();
    }

    [Fact]
    public void New_comes_before_the_first_event_of_a_key_the_write_created_as_redis_dbAdd_fires_it()
    {
        Assert.Equal(["new k", "set k"], EventsWithNew(new SetValue("k", Text("v"))));
        Assert.Equal(["set k"], EventsWithNew(new SetValue("k", Text("w"))));
        Assert.Equal(["new l", "lpush l"], EventsWithNew(new ListPush("l", [B("x")], Left: true)));
        Assert.Equal(["new k2", "rename_from k", "rename_to k2"], EventsWithNew(new RenameKey("k", "k2")));
        EventsWithNew(new SetAddMembers("src", [(CacheKey)"m"]));
        Assert.Equal(["srem src", "del src", "new dst", "sadd dst"], EventsWithNew(new SetMove("src", "dst", "m")));
        Assert.Equal(["del k2"], EventsWithNew(new DeleteKey("k2")));
    }

    private static readonly Expiry InPast = Expiry.AtUnixMilliseconds(1);

    [Fact]
    public void String_commands_emit_set_incrby_append_and_expire_when_given_a_ttl()
    {
        Assert.Equal(["set k"], Events(new SetValue("k", Text("v"))));
        Assert.Equal(["set k", "expire k"], Events(new SetValue("k", Text("v"), Expiry.After(TimeSpan.FromSeconds(100)))));
        Assert.Equal(["set k2"], Events(new SetValue("k2", Text("v"), When: SetCondition.IfAbsent)));
        Assert.Empty(Events(new SetValue("k2", Text("v"), When: SetCondition.IfAbsent)));
        Assert.Equal(["set k"], Events(new GetAndSet("k", Text("w"))));
        Assert.Equal(["set a", "set b"], Events(new MultiSetIfAbsent([new KeyedValue("a", Text("1")), new KeyedValue("b", Text("2"))])));
        Assert.Equal(["incrby n"], Events(new IncrementBy("n", 1)));
        Assert.Equal(["incrby n"], Events(new IncrementBy("n", -1)));
        Assert.Equal(["incrbyfloat f"], Events(new IncrementByFloat("f", "1.5")));
        Assert.Equal(["append s"], Events(new AppendValue("s", B("x"))));
        Assert.Equal(["setrange s"], Events(new SetRange("s", 3, B("y"))));
        Assert.Equal(["setbit bits"], Events(new SetBit("bits", 3, true)));
    }

    [Fact]
    public void Generic_commands_emit_del_expire_persist_and_rename_and_copy_events()
    {
        Events(new SetValue("a", Text("1")));
        Assert.Equal(["del a"], Events(new DeleteKey("a")));
        Assert.Empty(Events(new DeleteKey("nothere")));
        Events(new SetValue("k", Text("v")));
        Assert.Equal(["expire k"], Events(new ExpireKey("k", Expiry.After(TimeSpan.FromSeconds(100)))));
        Assert.Equal(["del k"], Events(new ExpireKey("k", InPast)));
        Assert.Empty(Events(new ExpireKey("nothere", Expiry.After(TimeSpan.FromSeconds(10)))));
        Events(new SetValue("p", Text("v"), Expiry.After(TimeSpan.FromSeconds(100))));
        Assert.Equal(["persist p"], Events(new PersistKey("p")));
        Assert.Empty(Events(new PersistKey("p")));
        Assert.Equal(["del p"], Events(new GetAndDelete("p")));
        Events(new SetValue("g", Text("v")));
        Assert.Equal(["expire g"], Events(new GetAndExpire("g", Expiry.After(TimeSpan.FromSeconds(100)))));
        Assert.Equal(["persist g"], Events(new GetAndExpire("g", Expiry.Clear)));
        Assert.Equal(["del g"], Events(new GetAndExpire("g", InPast)));
        Events(new SetValue("k2", Text("v")));
        Assert.Equal(["rename_from k2", "rename_to k6"], Events(new RenameKey("k2", "k6")));
        Events(new SetValue("k7", Text("v")));
        Assert.Empty(Events(new RenameKey("k7", "k6", IfAbsent: true)));
        Assert.Equal(["copy_to k8"], Events(new CopyKey("k6", "k8")));
    }

    [Fact]
    public void List_commands_emit_their_names_and_del_when_they_empty_the_list()
    {
        Assert.Equal(["rpush l"], Events(new ListPush("l", [B("a"), B("b"), B("c"), B("d")], Left: false)));
        Assert.Equal(["lpush l"], Events(new ListPush("l", [B("z")], Left: true)));
        Assert.Empty(Events(new ListPush("nolist", [B("a")], Left: true, IfExists: true)));
        Assert.Equal(["lpop l"], Events(new ListPop("l", Left: true)));
        Assert.Equal(["rpop l"], Events(new ListPop("l", Left: false, 2)));
        Assert.Equal(["lset l"], Events(new ListSetIndex("l", 0, B("q"))));
        Assert.Equal(["linsert l"], Events(new ListInsert("l", Before: true, B("q"), B("p"))));
        Assert.Equal(["lrem l"], Events(new ListRemove("l", 1, B("p"))));
        Assert.Equal(["ltrim l"], Events(new ListTrim("l", 0, 0)));
        Assert.Equal(["ltrim l", "del l"], Events(new ListTrim("l", 5, 6)));
        // LMOVE: Redis pushes onto the destination first, then reports the pop (and the source's deletion).
        Events(new ListPush("l1", [B("a"), B("b")], Left: false));
        Assert.Equal(["rpush l2", "lpop l1"], Events(new ListMove("l1", "l2", FromLeft: true, ToLeft: false)));
        Assert.Equal(["lpush l2", "rpop l1", "del l1"], Events(new ListMove("l1", "l2", FromLeft: false, ToLeft: true)));
        Events(new ListPush("l3", [B("a"), B("b")], Left: false));
        Assert.Equal(["rpush l3", "lpop l3"], Events(new ListMove("l3", "l3", FromLeft: true, ToLeft: false)));
        Events(new ListPush("l4", [B("x")], Left: false));
        Assert.Equal(["lpop l4", "del l4"], Events(new ListMultiPop(["l4"], Left: true)));
        Events(new ListPush("l5", [B("x")], Left: false));
        Assert.Equal(["rpop l5", "del l5"], Events(new BlockingCall(new ListPop("l5", Left: false), ["l5"], 0)));
    }

    [Fact]
    public void Hash_commands_emit_hset_hdel_hincrby_and_del_when_the_last_field_goes()
    {
        Assert.Equal(["hset h"], Events(new HashSetFields("h", [new HashField("f", B("v")), new HashField("g", B("w"))])));
        Assert.Empty(Events(new HashSetFields("h", [new HashField("f", B("v"))], IfAbsent: true)));
        Assert.Equal(["hset h"], Events(new HashSetFields("h", [new HashField("z", B("v"))], IfAbsent: true)));
        Assert.Equal(["hdel h"], Events(new HashDeleteFields("h", ["f"])));
        Assert.Equal(["hdel h", "del h"], Events(new HashDeleteFields("h", ["g", "z"])));
        Assert.Equal(["hincrby h2"], Events(new HashIncrementBy("h2", "f", 1)));
        Assert.Equal(["hincrbyfloat h2"], Events(new HashIncrementByFloat("h2", "f", "1.5")));
    }

    [Fact]
    public void Set_commands_emit_sadd_srem_spop_smove_and_the_store_commands_names()
    {
        Assert.Equal(["sadd s1"], Events(new SetAddMembers("s1", ["a", "b"])));
        Assert.Empty(Events(new SetAddMembers("s1", ["a"])));
        Assert.Equal(["srem s1"], Events(new SetRemoveMembers("s1", ["a"])));
        Assert.Equal(["srem s1", "del s1"], Events(new SetRemoveMembers("s1", ["b"])));
        Events(new SetAddMembers("s2", ["a", "b"]));
        Assert.Equal(["spop s2"], Events(new SetPop("s2", null)));
        Assert.Equal(["spop s2", "del s2"], Events(new SetPop("s2", 5)));
        Events(new SetAddMembers("s3", ["a", "b"]));
        Assert.Equal(["srem s3", "sadd s4"], Events(new SetMove("s3", "s4", "a")));
        Assert.Equal(["srem s3", "del s3", "sadd s4"], Events(new SetMove("s3", "s4", "b")));
        Events(new SetAddMembers("sa", ["1", "2"]));
        Events(new SetAddMembers("sb", ["2", "3"]));
        Assert.Equal(["sinterstore sc"], Events(new SetStore("sc", ["sa", "sb"], SetOperation.Intersect)));
        Assert.Equal(["sunionstore sc"], Events(new SetStore("sc", ["sa", "sb"], SetOperation.Union)));
        Assert.Equal(["del sc"], Events(new SetStore("sc", ["sa", "sa"], SetOperation.Difference)));
        Assert.Empty(Events(new SetStore("nonex", ["sa", "sa"], SetOperation.Difference)));
    }

    [Fact]
    public void Sorted_set_commands_emit_zadd_zincr_zrem_the_range_removals_pops_and_stores()
    {
        Assert.Equal(["zadd z"], Events(new SortedSetAdd("z", [new("a", 1), new("b", 2), new("c", 3), new("d", 4), new("e", 5)])));
        Assert.Empty(Events(new SortedSetAdd("z", [new("a", 1)])));
        Assert.Equal(["zincr z"], Events(new SortedSetAdd("z", [new("a", 1)], Increment: true)));
        Assert.Equal(["zrem z"], Events(new SortedSetRemove("z", ["a"])));
        Assert.Equal(["zremrangebyscore z"], Events(new SortedSetRemoveRange("z", new ScoreRange(2, false, 2, false))));
        Assert.Equal(["zremrangebyrank z"], Events(new SortedSetRemoveRange("z", new RankRange(0, 0))));
        Assert.Equal(["zremrangebylex z"], Events(new SortedSetRemoveRange("z", new LexRange(new LexBound("d", false), new LexBound("d", false)))));
        Events(new SortedSetAdd("z", [new("f", 6)]));
        Assert.Equal(["zpopmin z"], Events(new SortedSetPop("z", 1)));
        Assert.Equal(["zpopmax z", "del z"], Events(new SortedSetPop("z", 1, Max: true)));
        Events(new SortedSetAdd("y", [new("a", 1), new("b", 2)]));
        Assert.Equal(["zpopmin y"], Events(new SortedSetMultiPop(["y"], 1)));
        Assert.Equal(["zrangestore zd"], Events(new SortedSetRangeStore("zd", new SortedSetRangeQuery("y", new RankRange(0, -1)))));
        Assert.Equal(["zunionstore zu"], Events(new SortedSetCombineStore("zu", ["y"], SortedSetOperation.Union)));
        Assert.Equal(["zinterstore zi"], Events(new SortedSetCombineStore("zi", ["y"], SortedSetOperation.Intersect)));
        Assert.Equal(["zdiffstore zdd"], Events(new SortedSetCombineStore("zdd", ["y"], SortedSetOperation.Difference)));
    }

    [Fact]
    public void A_transaction_emits_each_command_s_events_in_order_and_nothing_for_a_command_that_changed_nothing()
    {
        Events(new HashSetFields("{t}h", [new HashField("f", B("v"))]));
        var exec = new Transaction(
        [
            new HashDeleteFields("{t}h", ["missing"]),
            new SetValue("{t}k", Text("v"), Expiry.After(TimeSpan.FromSeconds(10))),
            new HashSetFields("{t}h", [new HashField("g", B("w"))]),
            new IncrementBy("{t}n", 2),
        ], []);
        Assert.Equal(["set {t}k", "expire {t}k", "hset {t}h", "incrby {t}n"], Events(exec));
    }

    [Fact]
    public void An_eviction_is_reported_before_the_write_that_made_room()
    {
        var kilobyte = new CacheValue(ValueKind.Bytes, new byte[1000]);
        var size = CacheEntry.SizeOf("k0", kilobyte);
        var p = new PartitionTestHarness(() => new PartitionState(PartitionLimits.Default, clock: _clock,
            memory: new MemoryPolicy(EvictionPolicy.AllKeysLru, () => 2 * size)));
        EventsOf(p, new SetValue("k0", kilobyte));
        EventsOf(p, new SetValue("k1", kilobyte));
        Assert.Equal(["evicted k0", "set k2"], EventsOf(p, new SetValue("k2", kilobyte)));
    }

    [Fact]
    public void Flushall_emits_no_keyspace_event_as_in_Redis() =>
        Assert.Empty(KeyspaceMapped(new FlushPart(0), new PartitionChanged(Guid.Empty, null, [AllRemoved.Instance])));

    private static List<KeyspaceEvent> KeyspaceMapped(IClientCommand command, PartitionChanged write)
    {
        var events = new List<KeyspaceEvent>();
        KeyspaceEventMap.Add(command, write, events);
        return events;
    }
}
