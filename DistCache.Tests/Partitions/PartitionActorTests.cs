using System.Text;
using Akka;
using Akka.Actor;
using Akka.Actor.Setup;
using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;
using System.Data.Common;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DistCache.Tests.Partitions;

/// <summary>The partition actor against a real SQLite journal: the journal is the operation log,
/// recovery replays it, snapshots cut it short.</summary>
public sealed class SqlitePartitionActorTests() : PartitionActorTests(PersistenceConfig.ForSqlite(Folder.Path))
{
    private static readonly TempFolder Folder = new();

    protected override DbConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(Folder.Path, "distcache.db")}");
        connection.Open();
        return connection;
    }
}

/// <summary>The same behaviour against a real PostgreSQL server, a database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPartitionActorTests : PartitionActorTests
{
    private readonly string _connectionString;

    public PostgresPartitionActorTests(PostgresServer server) : this(server.CreateDatabase())
    {
    }

    private PostgresPartitionActorTests(string connectionString)
        : base(PersistenceConfig.ForPostgres(connectionString, Path.GetTempPath())) => _connectionString = connectionString;

    protected override DbConnection Open()
    {
        var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        return connection;
    }
}

public abstract class PartitionActorTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly string _partitionId = Guid.NewGuid().ToString("N");

    protected PartitionActorTests(ActorSystemSetup setup) : base(setup, "partition-tests")
    {
    }

    protected abstract DbConnection Open();

    private static CacheValue Text(string s) => new(ValueKind.String, Encoding.UTF8.GetBytes(s));

    private IActorRef StartPartition(int snapshotEvery = 1000) =>
        Sys.ActorOf(PartitionActor.Props(_partitionId, new PartitionSettings(PartitionLimits.Default, snapshotEvery)));

    private ICacheReply Ask(IActorRef partition, ICacheCommand command, long id = 1) => Ask(partition, command, Guid.Empty, id);

    private ICacheReply Ask(IActorRef partition, ICacheCommand command, Guid requestId, long id)
    {
        partition.Tell(new ClientRequest(id, command, requestId), TestActor);
        var response = ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(10));
        Assert.Equal(id, response.CorrelationId);
        return response.Reply;
    }

    private void Stop(IActorRef partition)
    {
        Watch(partition);
        partition.Tell(PoisonPill.Instance);
        ExpectTerminated(partition, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Acknowledged_writes_survive_a_restart_and_deletes_stay_deleted()
    {
        var partition = StartPartition();
        Ask(partition, new SetValue("brazil", Text("football")));
        Ask(partition, new SetValue("3", Text("6")));
        Ask(partition, new IncrementBy("counter", 5));
        Assert.Equal(new Deleted(true), Ask(partition, new DeleteKey("3")));
        Stop(partition);

        var recovered = StartPartition();
        Assert.Equal("football", Encoding.UTF8.GetString(Assert.IsType<Found>(Ask(recovered, new GetValue("brazil"))).Value!.Data));
        Assert.Equal(new Existence(false), Ask(recovered, new KeyExists("3")));
        Assert.Equal(new CounterValue(6), Ask(recovered, new IncrementBy("counter", 1)));
    }

    [Fact]
    public void A_hash_recovers_from_a_snapshot_and_the_events_after_it_and_a_retried_hincrby_applies_once()
    {
        // A snapshot after every 4 events: recovery reads one and replays the events after it.
        var partition = StartPartition(snapshotEvery: 4);
        var incr = Guid.NewGuid();
        HashField F(string f, string v) => new(f, Encoding.UTF8.GetBytes(v));
        Assert.Equal(new CounterValue(3), Ask(partition, new HashSetFields("h", [F("a", "1"), F("b", "2"), F("c", "3")]), Guid.NewGuid(), 1));
        Assert.Equal(new CounterValue(15), Ask(partition, new HashIncrementBy("h", "n", 15), incr, 2));
        Assert.Equal(new CounterValue(1), Ask(partition, new HashDeleteFields("h", ["b"]), Guid.NewGuid(), 3));
        Assert.Equal(new CounterValue(1), Ask(partition, new HashSetFields("gone", [F("x", "1")]), Guid.NewGuid(), 4));
        Assert.Equal(new CounterValue(1), Ask(partition, new HashDeleteFields("gone", ["x"]), Guid.NewGuid(), 5));
        Assert.Equal(new CounterValue(0), Ask(partition, new HashSetFields("h", [F("a", "one")]), Guid.NewGuid(), 6));
        // The retry after a failover: answered as the first time, applied once.
        Assert.Equal(new CounterValue(15), Ask(partition, new HashIncrementBy("h", "n", 15), incr, 7));
        AwaitAssert(() => Assert.NotEmpty(SnapshotSequenceNrs()), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Stop(partition);

        var recovered = StartPartition(snapshotEvery: 4);
        var all = Assert.IsType<HashEntries>(Ask(recovered, new HashGetAll("h"), 10)).Fields;
        Assert.Equal("a=one,c=3,n=15", string.Join(",", all.OrderBy(f => f.Field).Select(f => $"{f.Field}={Encoding.UTF8.GetString(f.Value)}")));
        Assert.Equal(new KeyDescription("none", null), Ask(recovered, new DescribeKey("gone"), 11));
        Assert.Equal(new CounterValue(15), Ask(recovered, new HashIncrementBy("h", "n", 15), incr, 12));
        Assert.Equal(new CounterValue(16), Ask(recovered, new HashIncrementBy("h", "n", 1), Guid.NewGuid(), 13));
    }

    [Fact]
    public void A_list_recovers_from_a_snapshot_and_the_events_after_it_and_a_retried_pop_pops_once()
    {
        var partition = StartPartition(snapshotEvery: 4);
        var pop = Guid.NewGuid();
        byte[][] E(params string[] e) => e.Select(Encoding.UTF8.GetBytes).ToArray();
        string Items(ICacheReply reply) => string.Join(",", Assert.IsType<ListItems>(reply).Items!.Select(Encoding.UTF8.GetString));
        Assert.Equal(new CounterValue(5), Ask(partition, new ListPush("l", E("a", "b", "c", "d", "e"), Left: false), Guid.NewGuid(), 1));
        Assert.Equal("a,b", Items(Ask(partition, new ListPop("l", Left: true, Count: 2), pop, 2)));
        Assert.Equal(Stored.Instance, Ask(partition, new ListSetIndex("l", 0, E("C")[0]), Guid.NewGuid(), 3));
        Assert.Equal(new CounterValue(1), Ask(partition, new ListPush("gone", E("x"), Left: true), Guid.NewGuid(), 4));
        Assert.Equal("x", Encoding.UTF8.GetString(Assert.IsType<Found>(Ask(partition, new ListPop("gone", Left: false), Guid.NewGuid(), 5)).Value!.Data));
        Assert.Equal(new CounterValue(4), Ask(partition, new ListInsert("l", Before: false, E("d")[0], E("d2")[0]), Guid.NewGuid(), 6));
        // The retry after a failover: the same elements, nothing more popped.
        Assert.Equal("a,b", Items(Ask(partition, new ListPop("l", Left: true, Count: 2), pop, 7)));
        AwaitAssert(() => Assert.NotEmpty(SnapshotSequenceNrs()), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Stop(partition);

        var recovered = StartPartition(snapshotEvery: 4);
        Assert.Equal("C,d,d2,e", Items(Ask(recovered, new ListRange("l", 0, -1), 10)));
        Assert.Equal(new KeyDescription("none", null), Ask(recovered, new DescribeKey("gone"), 11));
        Assert.Equal("a,b", Items(Ask(recovered, new ListPop("l", Left: true, Count: 2), pop, 12)));
        Assert.Equal("C,d", Items(Ask(recovered, new ListPop("l", Left: true, Count: 2), Guid.NewGuid(), 13)));
    }

    [Fact]
    public void A_sorted_set_recovers_from_a_snapshot_and_the_events_after_it_and_a_retried_pop_pops_once()
    {
        var partition = StartPartition(snapshotEvery: 4);
        var pop = Guid.NewGuid();
        SortedSetEntry E(string m, double s) => new(m, s);
        Assert.Equal(new CounterValue(4), Ask(partition, new SortedSetAdd("z", [E("a", 1), E("b", 2), E("c", 3), E("d", 4)]), Guid.NewGuid(), 1));
        Assert.Equal(new SortedSetScore(true, 11), Ask(partition, new SortedSetAdd("z", [E("a", 10)], Increment: true), Guid.NewGuid(), 2));
        var popped = Assert.IsType<SortedSetEntries>(Ask(partition, new SortedSetPop("z", 1), pop, 3));
        Assert.Equal("b", Assert.Single(popped.Entries)!.Member.ToString());
        Assert.Equal(new CounterValue(1), Ask(partition, new SortedSetRemove("z", ["c"]), Guid.NewGuid(), 4));
        Assert.Equal(new CounterValue(1), Ask(partition, new SortedSetAdd("gone", [E("x", 1)]), Guid.NewGuid(), 5));
        Assert.Equal(new CounterValue(1), Ask(partition, new SortedSetRemove("gone", ["x"]), Guid.NewGuid(), 6));
        AwaitAssert(() => Assert.NotEmpty(SnapshotSequenceNrs()), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Stop(partition);

        var recovered = StartPartition(snapshotEvery: 4);
        var all = Assert.IsType<SortedSetEntries>(Ask(recovered, new SortedSetRangeQuery("z", new RankRange(0, -1)), 10)).Entries;
        Assert.Equal("d=4,a=11", string.Join(",", all.Select(e => $"{e!.Member}={e.Score}")));
        Assert.Equal(new KeyDescription("none", null), Ask(recovered, new DescribeKey("gone"), 11));
        // The retried pop after a failover: the same answer, nothing more popped.
        var retried = Assert.IsType<SortedSetEntries>(Ask(recovered, new SortedSetPop("z", 1), pop, 12));
        Assert.Equal("b", Assert.Single(retried.Entries)!.Member.ToString());
        Assert.Equal(new CounterValue(2), Ask(recovered, new SortedSetLength("z"), 13));
    }

    [Fact]
    public void A_transaction_is_journaled_whole_and_a_retried_exec_is_answered_as_the_first_after_a_restart()
    {
        var partition = StartPartition();
        var exec = Guid.NewGuid();
        var tx = new Transaction([
            new IncrementBy("{t}a", 5),
            new ListPush("{t}a", [Text("x").Data], Left: true),
            new IncrementBy("{t}b", 7),
            new GetValue("{t}missing"),
        ], []);
        var first = Assert.IsType<TransactionResult>(Ask(partition, tx, exec, 1));
        Assert.Equal(new CounterValue(5), first.Replies![0]);
        Assert.Equal(CacheErrorCode.WrongType, Assert.IsType<Rejected>(first.Replies[1]).Code);
        Assert.Equal(new Found(null), first.Replies[3]);
        // The retry: the same reply, nothing applied again.
        Assert.Equal(first.Replies, Assert.IsType<TransactionResult>(Ask(partition, tx, exec, 2)).Replies);
        Stop(partition);

        var recovered = StartPartition();
        Assert.Equal(first.Replies, Assert.IsType<TransactionResult>(Ask(recovered, tx, exec, 3)).Replies);
        Assert.Equal(new CounterValue(6), Ask(recovered, new IncrementBy("{t}a", 1), Guid.NewGuid(), 4));
        Assert.Equal(new CounterValue(8), Ask(recovered, new IncrementBy("{t}b", 1), Guid.NewGuid(), 5));
    }

    [Fact]
    public void A_set_recovers_from_a_snapshot_and_the_events_after_it_and_a_retried_spop_pops_once()
    {
        var partition = StartPartition(snapshotEvery: 4);
        var pop = Guid.NewGuid();
        Assert.Equal(new CounterValue(4), Ask(partition, new SetAddMembers("s", ["a", "b", "c", "d"]), Guid.NewGuid(), 1));
        var popped = Assert.IsType<SetMembers>(Ask(partition, new SetPop("s", 2), pop, 2)).Members;
        Assert.Equal(new CounterValue(1), Ask(partition, new SetAddMembers("gone", ["x"]), Guid.NewGuid(), 3));
        Assert.Equal(new CounterValue(1), Ask(partition, new SetRemoveMembers("gone", ["x"]), Guid.NewGuid(), 4));
        Assert.Equal(new CounterValue(1), Ask(partition, new SetAddMembers("s", ["e"]), Guid.NewGuid(), 5));
        Assert.Equal(new CounterValue(3), Ask(partition, new SetStore("t", ["s"], SetOperation.Union), Guid.NewGuid(), 6));
        // The retry after a failover: the same members, nothing more popped.
        Assert.Equal(popped, Assert.IsType<SetMembers>(Ask(partition, new SetPop("s", 2), pop, 7)).Members);
        AwaitAssert(() => Assert.NotEmpty(SnapshotSequenceNrs()), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Stop(partition);

        var recovered = StartPartition(snapshotEvery: 4);
        var expected = new[] { "a", "b", "c", "d", "e" }.Except(popped.Select(m => m.ToString())).Order();
        Assert.Equal(expected, Assert.IsType<SetMembers>(Ask(recovered, new SetGetMembers("s"), 10)).Members.Select(m => m.ToString()).Order());
        Assert.Equal(expected, Assert.IsType<SetMembers>(Ask(recovered, new SetGetMembers("t"), 11)).Members.Select(m => m.ToString()).Order());
        Assert.Equal(new KeyDescription("none", null), Ask(recovered, new DescribeKey("gone"), 12));
        Assert.Equal(popped, Assert.IsType<SetMembers>(Ask(recovered, new SetPop("s", 2), pop, 13)).Members);
        Assert.Equal(new CounterValue(3), Ask(recovered, new SetLength("s"), 14));
    }

    [Fact]
    public void Rejected_commands_are_not_journaled()
    {
        var partition = StartPartition();
        Ask(partition, new SetValue("s", Text("text")));
        Assert.IsType<Rejected>(Ask(partition, new IncrementBy("s", 1)));
        Assert.IsType<Rejected>(Ask(partition, new SetValue("t", Text("x"), new Expiry(ExpiryKind.After, -1))));
        Stop(partition);
        Assert.Equal(1, JournalRows("NOT deleted"));
    }

    [Fact]
    public void After_N_events_a_snapshot_exists_and_the_events_it_covers_are_gone()
    {
        var partition = StartPartition(snapshotEvery: 10);
        for (var i = 1; i <= 25; i++)
            Ask(partition, new SetValue("k" + (i % 7), Text("v" + i)), i);

        // A snapshot is taken once 10 events have passed since the last one (at 20, or at 25 when the
        // first snapshot's save was still in flight at 20); the deletes that follow are asynchronous.
        AwaitAssert(() =>
        {
            var snapshot = Assert.Single(SnapshotSequenceNrs());
            Assert.InRange(snapshot, 20, 25);
            Assert.Equal(0, JournalRows($"NOT deleted AND sequence_number <= {snapshot}"));
            Assert.Equal(25 - snapshot, JournalRows($"NOT deleted AND sequence_number > {snapshot}"));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Stop(partition);

        // Recovery = snapshot 20 + the 5 events after it.
        var recovered = StartPartition(snapshotEvery: 10);
        for (var k = 0; k < 7; k++)
        {
            var last = Enumerable.Range(1, 25).Last(i => i % 7 == k);
            var found = Assert.IsType<Found>(Ask(recovered, new GetValue("k" + k), 100 + k));
            Assert.Equal("v" + last, Encoding.UTF8.GetString(found.Value!.Data));
        }
    }

    [Fact]
    public void Requests_sent_as_one_message_are_each_answered_in_order_through_snapshots_and_recover()
    {
        var partition = StartPartition(snapshotEvery: 5);
        // Three messages of ten writes each, sent at once: snapshots fall due between them, so a message
        // may wait behind a snapshot's drain, and still comes before the next one.
        for (var group = 0; group < 3; group++)
            partition.Tell(new PartitionRequests(0, Enumerable.Range(group * 10 + 1, 10)
                .Select(i => new ClientRequest(i, new SetValue("g" + (i % 4), Text("v" + i)), Guid.NewGuid())).ToArray()), TestActor);
        for (var i = 1; i <= 30; i++)
        {
            var response = ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(10));
            Assert.Equal(i, response.CorrelationId);
            Assert.IsType<Stored>(response.Reply);
        }
        // Replies ready at once (reads, with no write left unwritten) go back as one message too.
        partition.Tell(new PartitionRequests(0, Enumerable.Range(0, 4)
            .Select(k => new ClientRequest(40 + k, new GetValue("g" + k), Guid.Empty)).ToArray()), TestActor);
        var batch = ExpectMsg<ClientResponseBatch>(TimeSpan.FromSeconds(10));
        Assert.Equal([40L, 41, 42, 43], batch.Responses.Select(r => r.CorrelationId));
        Assert.All(batch.Responses, r => Assert.NotNull(Assert.IsType<Found>(r.Reply).Value));
        Stop(partition);

        var recovered = StartPartition(snapshotEvery: 5);
        for (var k = 0; k < 4; k++)
        {
            var last = Enumerable.Range(1, 30).Last(i => i % 4 == k);
            var found = Assert.IsType<Found>(Ask(recovered, new GetValue("g" + k), 100 + k));
            Assert.Equal("v" + last, Encoding.UTF8.GetString(found.Value!.Data));
        }
    }

    [Fact]
    public void A_burst_of_increments_is_answered_in_order_and_recovers_to_the_same_count()
    {
        // Many increments reach the partition while journal writes are in flight, so they are written in
        // groups; snapshots (every 10) must still cover exactly what they hold, or recovery counts twice.
        var partition = StartPartition(snapshotEvery: 10);
        const int count = 300;
        for (var i = 1; i <= count; i++)
            partition.Tell(new ClientRequest(i, new IncrementBy("counter", 1), Guid.NewGuid()), TestActor);
        for (var i = 1; i <= count; i++)
        {
            var response = ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(20));
            Assert.Equal(i, response.CorrelationId);
            Assert.Equal(new CounterValue(i), response.Reply);
        }
        Stop(partition);

        var recovered = StartPartition(snapshotEvery: 10);
        Assert.Equal(new CounterValue(count + 1), Ask(recovered, new IncrementBy("counter", 1), count + 1));
    }

    [Fact]
    public void Hash_writes_in_bursts_through_snapshots_and_a_hand_off_recover_to_what_a_plain_state_holds()
    {
        // Hash writes reach the partition while journal writes are in flight (journaled in bursts) and
        // snapshots fall due under that load; a planned hand-off then snapshots once more. The recovered
        // hash must equal what the same commands leave in a plain PartitionState.
        var partition = StartPartition(snapshotEvery: 10);
        var model = new PartitionState(PartitionLimits.Default);
        var commands = Enumerable.Range(1, 300).Select(i => (i % 3) switch
        {
            0 => (ICacheCommand)new HashIncrementBy("h", "n", i),
            1 => new HashSetFields("h", [new HashField("f" + (i % 50), Encoding.UTF8.GetBytes("v" + i))]),
            _ => new HashDeleteFields("h", ["f" + (i % 7)]),
        }).ToArray();
        for (var i = 0; i < commands.Length; i++)
            partition.Tell(new ClientRequest(i, commands[i], Guid.NewGuid()), TestActor);
        foreach (var command in commands)
        {
            var decision = model.Decide(command);
            if (decision.Event is not null)
                model.Apply(decision.Event);
            Assert.Equal(decision.Reply, ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(20)).Reply);
        }
        Watch(partition);
        partition.Tell(StopPartition.Instance);
        ExpectTerminated(partition, TimeSpan.FromSeconds(10));

        var recovered = StartPartition(snapshotEvery: 10);
        string Fields(ICacheReply reply) => string.Join(",", Assert.IsType<HashEntries>(reply).Fields.OrderBy(f => f.Field)
            .Select(f => $"{f.Field}={Encoding.UTF8.GetString(f.Value)}"));
        Assert.Equal(Fields(model.Decide(new HashGetAll("h")).Reply), Fields(Ask(recovered, new HashGetAll("h"), 1000)));
    }

    [Fact]
    public void A_partition_that_hands_off_snapshots_first_so_its_next_start_replays_nothing()
    {
        var partition = StartPartition(snapshotEvery: 1000);
        for (var i = 1; i <= 30; i++)
            Ask(partition, new SetValue("k" + (i % 4), Text("v" + i)), i);
        Watch(partition);
        partition.Tell(StopPartition.Instance);
        ExpectTerminated(partition, TimeSpan.FromSeconds(10));

        Assert.Equal([30L], SnapshotSequenceNrs());
        AwaitAssert(() => Assert.Equal(0, JournalRows("NOT deleted")), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        var recovered = StartPartition();
        Assert.Equal("v28", Encoding.UTF8.GetString(Assert.IsType<Found>(Ask(recovered, new GetValue("k0"), 31)).Value!.Data));
        Assert.Equal("v30", Encoding.UTF8.GetString(Assert.IsType<Found>(Ask(recovered, new GetValue("k2"), 32)).Value!.Data));
    }

    [Fact]
    public void A_burst_journaled_in_fewer_rows_than_writes_recovers_every_write_and_its_retry_answers()
    {
        var partition = StartPartition();
        var incr = Guid.NewGuid();
        var del = Guid.NewGuid();
        // Told at once: the first write goes to the journal alone, the others arrive while it is in flight
        // and are journaled together.
        var commands = new List<(ICacheCommand Command, Guid Id)>
        {
            (new SetValue("a", Text("1")), Guid.NewGuid()),
            (new SetValue("b", Text("2")), Guid.NewGuid()),
            (new IncrementBy("n", 10), incr),
        };
        for (var i = 0; i < 40; i++)
            commands.Add((new SetValue("k" + i, Text("v" + i)), Guid.NewGuid()));
        commands.Add((new IncrementBy("n", 10), incr)); // a retry: answered from the window, not counted again
        commands.Add((new DeleteKey("b"), del));
        commands.Add((new IncrementBy("n", 1), Guid.NewGuid()));
        for (var i = 0; i < commands.Count; i++)
            partition.Tell(new ClientRequest(i, commands[i].Command, commands[i].Id), TestActor);
        var replies = new ICacheReply[commands.Count];
        for (var i = 0; i < commands.Count; i++)
        {
            var response = ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(20));
            Assert.Equal(i, response.CorrelationId);
            replies[i] = response.Reply;
        }
        Assert.Equal(new CounterValue(10), replies[2]);
        Assert.Equal(new CounterValue(10), replies[^3]);
        Assert.Equal(new CounterValue(11), replies[^1]);
        Stop(partition);
        // 45 writes (the retry changes nothing) in fewer rows: the ones that waited went as bursts.
        Assert.InRange(JournalRows("NOT deleted"), 2, 44);

        var recovered = StartPartition();
        Assert.Equal(new CounterValue(10), Ask(recovered, new IncrementBy("n", 10), incr, 100));
        Assert.Equal(new Deleted(true), Ask(recovered, new DeleteKey("b"), del, 101));
        Assert.Null(Assert.IsType<Found>(Ask(recovered, new GetValue("b"), 102)).Value);
        Assert.Equal("1", Encoding.UTF8.GetString(Assert.IsType<Found>(Ask(recovered, new GetValue("a"), 103)).Value!.Data));
        Assert.Equal("v39", Encoding.UTF8.GetString(Assert.IsType<Found>(Ask(recovered, new GetValue("k39"), 104)).Value!.Data));
        Assert.Equal(new CounterValue(12), Ask(recovered, new IncrementBy("n", 1), 105));
    }

    private static string? TextOf(ICacheReply reply) => Assert.IsType<Found>(reply).Value is { } v ? Encoding.UTF8.GetString(v.Data) : null;

    [Fact]
    public void A_blocking_call_waits_for_a_write_to_its_key_first_come_first_and_a_retry_takes_nothing_more()
    {
        var partition = StartPartition();
        // A blocking GETDEL: the generic shape of BLPOP and kin, on the string type.
        var take = new BlockingCall(new GetAndDelete("q"), ["other", "q"], 10_000);
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var firstId = Guid.NewGuid();
        partition.Tell(new ClientRequest(1, take, firstId), first);
        partition.Tell(new ClientRequest(2, take, Guid.NewGuid()), second);
        // The client's retry of the first call waits in that call's place, not behind the second.
        partition.Tell(new ClientRequest(1, take, firstId), first);
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Assert.Equal(Stored.Instance, Ask(partition, new SetValue("q", Text("one")), 3));
        Assert.Equal("one", TextOf(first.ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(5)).Reply));
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(Stored.Instance, Ask(partition, new SetValue("q", Text("two")), 4));
        Assert.Equal("two", TextOf(second.ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(5)).Reply));
        Assert.Equal(new Existence(false), Ask(partition, new KeyExists("q"), 5));
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // A retry after the call was served gets the same answer and takes nothing more.
        Assert.Equal(Stored.Instance, Ask(partition, new SetValue("q", Text("three")), 6));
        partition.Tell(new ClientRequest(1, take, firstId), first);
        Assert.Equal("one", TextOf(first.ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(5)).Reply));

        // Nothing comes: the wait ends with the call's own reply.
        partition.Tell(new ClientRequest(7, take with { Keys = ["empty"], Attempt = new GetAndDelete("empty"), WaitMs = 300 }, Guid.NewGuid()), TestActor);
        var timedOut = ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(5));
        Assert.Equal((7L, (ICacheReply)WaitEnded.Instance), (timedOut.CorrelationId, timedOut.Reply));

        // A caller that stops waiting is answered at once and takes nothing.
        var leaving = Guid.NewGuid();
        var gone = CreateTestProbe();
        partition.Tell(new ClientRequest(8, take with { Keys = ["empty"], Attempt = new GetAndDelete("empty") }, leaving), gone.Ref);
        gone.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(new Existence(true), Ask(partition, new StopWaiting("empty", leaving), 9));
        Assert.Equal(WaitEnded.Instance, gone.ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(5)).Reply);
        Assert.Equal(Stored.Instance, Ask(partition, new SetValue("empty", Text("kept")), 10));
        gone.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(new Existence(false), Ask(partition, new StopWaiting("empty", leaving), 11));

        // What was taken was journaled with the callers' request ids.
        Stop(partition);
        var recovered = StartPartition();
        Assert.Equal("three", TextOf(Ask(recovered, new GetValue("q"), 12)));
        Assert.Equal("kept", TextOf(Ask(recovered, new GetValue("empty"), 13)));
        recovered.Tell(new ClientRequest(1, take, firstId), first);
        Assert.Equal("one", TextOf(first.ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(5)).Reply));
    }

    [Fact]
    public void A_journal_written_before_bursts_one_event_per_write_still_recovers()
    {
        // What format 1-3 partitions journaled: format 2's value and delete events, format 3's one
        // PartitionChanged per write.
        var counter = Guid.NewGuid();
        var setX = Guid.NewGuid();
        var writer = Sys.ActorOf(Props.Create(() => new EventWriter(PartitionActor.PersistenceIdFor(_partitionId))));
        writer.Tell(new ICacheEvent[]
        {
            new ValueWritten("old", Text("o"), Guid.NewGuid()),
            new ValueWritten("gone", Text("g"), Guid.NewGuid()),
            new KeyRemoved("gone", Guid.NewGuid()),
            new PartitionChanged(counter, new CounterValue(3), [new EntrySet("n", IntegerValue.From(3), 0)]),
            new PartitionChanged(setX, Stored.Instance, [new EntrySet("x", Text("1"), 0)]),
        }, TestActor);
        ExpectMsg<Done>(TimeSpan.FromSeconds(10));
        Stop(writer);

        var recovered = StartPartition();
        Assert.Equal("o", Encoding.UTF8.GetString(Assert.IsType<Found>(Ask(recovered, new GetValue("old"), 1)).Value!.Data));
        Assert.Equal(new Existence(false), Ask(recovered, new KeyExists("gone"), 2));
        Assert.Equal(new CounterValue(3), Ask(recovered, new IncrementBy("n", 3), counter, 3));
        Assert.Equal(Stored.Instance, Ask(recovered, new SetValue("x", Text("again")), setX, 4));
        Assert.Equal("1", Encoding.UTF8.GetString(Assert.IsType<Found>(Ask(recovered, new GetValue("x"), 5)).Value!.Data));
        Assert.Equal(new CounterValue(4), Ask(recovered, new IncrementBy("n", 1), 6));
    }

    private sealed class EventWriter : Akka.Persistence.ReceivePersistentActor
    {
        public EventWriter(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<ICacheEvent[]>(events =>
            {
                var replyTo = Sender;
                var left = events.Length;
                PersistAll(events, _ =>
                {
                    if (--left == 0)
                        replyTo.Tell(Done.Instance);
                });
            });
        }

        public override string PersistenceId { get; }
    }

    private long JournalRows(string where) =>
        Scalar($"SELECT COUNT(*) FROM journal WHERE persistence_id = @id AND {where}");

    private List<long> SnapshotSequenceNrs()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence_number FROM snapshot WHERE persistence_id = @id";
        AddId(command);
        using var reader = command.ExecuteReader();
        var result = new List<long>();
        while (reader.Read())
            result.Add(reader.GetInt64(0));
        return result;
    }

    private long Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        AddId(command);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private void AddId(DbCommand command)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = PartitionActor.PersistenceIdFor(_partitionId);
        command.Parameters.Add(parameter);
    }

    [Fact]
    public void A_request_whose_caller_has_given_up_is_neither_applied_nor_answered()
    {
        var partition = StartPartition();
        var gaveUp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1;
        partition.Tell(new ClientRequest(1, new SetValue("late", Text("v")), Guid.NewGuid(), gaveUp), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Null(Assert.IsType<Found>(Ask(partition, new GetValue("late"), 2)).Value);

        var inTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 30_000;
        partition.Tell(new ClientRequest(3, new SetValue("late", Text("v")), Guid.NewGuid(), inTime), TestActor);
        Assert.IsType<Stored>(ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(10)).Reply);
    }
}
