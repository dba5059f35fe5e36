using System.Text;
using Akka.Actor;
using Akka.Actor.Setup;
using DistCache.Actors.Partitions;
using DistCache.Actors.Protocol;
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

    private ICacheReply Ask(IActorRef partition, ICacheCommand command, long id = 1)
    {
        partition.Tell(new ClientRequest(id, command), TestActor);
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
    public void Rejected_commands_are_not_journaled()
    {
        var partition = StartPartition();
        Ask(partition, new SetValue("s", Text("text")));
        Assert.IsType<Rejected>(Ask(partition, new IncrementBy("s", 1)));
        Assert.IsType<Rejected>(Ask(partition, new SetValue("", Text("x"))));
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
