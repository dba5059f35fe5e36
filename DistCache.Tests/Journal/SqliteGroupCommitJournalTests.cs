using Akka.Actor;
using Akka.Persistence;
using DistCache.Actors.Cluster;
using DistCache.Actors.Fencing;
using DistCache.Actors.Journal;
using DistCache.Actors.Monitoring;
using DistCache.Actors.Partitions;
using DistCache.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DistCache.Tests.Journal;

/// <summary>The SQLite journal's own writer against the real file: its rows are the stock plugin's (the
/// stock journal recovers them and writes the same columns for the same events), a group commits what was
/// queued together, a fenced partition or a failing row fails alone, and a connection that does not check
/// the fence itself (an older release's) cannot insert a partition's row at all.</summary>
public sealed class SqliteGroupCommitJournalTests : IDisposable
{
    private const string StockJournal = "akka.persistence.journal.sql.class = \"Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql\"";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new();
    private readonly DistCacheSettings _settings;

    public SqliteGroupCommitJournalTests()
    {
        _settings = NodeConfigBuilder.Build(new NodeOptions { DataDir = _folder.Path }).Settings;
        StoreGuard.Check(_settings);
    }

    public void Dispose() => _folder.Dispose();

    private static readonly object[] Events =
    [
        "a string",
        new byte[] { 1, 2, 3 },
        new PartitionChanged(Guid.NewGuid(), null, [new EntryRemoved("k1")]),
    ];

    private ActorSystem System(string name, string? config = null) =>
        ActorSystem.Create(name, PersistenceConfig.ForSqlite(_folder.Path, overrides: config));

    [Fact]
    public async Task The_stock_plugin_recovers_what_the_writer_wrote_and_writes_the_same_columns()
    {
        using (var ours = System("ours"))
        {
            Assert.Equal(typeof(SqliteGroupCommitJournal), JournalOf(ours));
            await PersistAllAsync(ours, "ours-1");
        }
        using (var stock = System("stock", StockJournal))
        {
            Assert.Equal(typeof(Akka.Persistence.Sql.Journal.SqlWriteJournal), JournalOf(stock));
            var recovered = await stock.ActorOf(Props.Create(() => new EventLog("ours-1"))).Ask<object[]>(EventLog.Read, Wait);
            Assert.Equal(Events.Length, recovered.Length);
            Assert.Equal(Events[0], recovered[0]);
            Assert.Equal((byte[])Events[1], (byte[])recovered[1]);
            Assert.Equal(((PartitionChanged)Events[2]).Changes.Single(), ((PartitionChanged)recovered[2]).Changes.Single());
            await PersistAllAsync(stock, "stock-1");
        }

        // Column by column, except the table's own ordering, the time and the writer id.
        var ourRows = Rows("ours-1");
        var stockRows = Rows("stock-1");
        Assert.Equal(stockRows.Select(r => r[..^2]), ourRows.Select(r => r[..^2]));
        Assert.All(ourRows, r => Assert.InRange((long)r[^2], DateTime.UtcNow.AddMinutes(-5).Ticks, DateTime.UtcNow.Ticks));
        Assert.Single(ourRows.Select(r => r[^1]).Distinct());
    }

    [Fact]
    public async Task A_group_commits_together_and_a_fenced_partition_fails_alone()
    {
        using (var system = System("tables"))
            await PersistAllAsync(system, "tables-1");
        var store = new FenceStore(_settings);
        await store.EnsureSchemaAsync();
        await store.InsertLeaseAsync("w-mine", "127.0.0.1:1", TimeSpan.FromMinutes(1));
        await store.InsertLeaseAsync("w-other", "127.0.0.1:2", TimeSpan.FromMinutes(1));
        Assert.NotNull(await store.ClaimAsync("partition-mine", "w-mine"));
        Assert.NotNull(await store.ClaimAsync("partition-theirs", "w-other"));

        var metrics = new NodeMetrics();
        using var writer = new GroupCommitWriter(_settings.ConnectionString, "w-mine", metrics);
        // Queued before the thread starts: one group.
        var mine = writer.Enqueue(Write("partition-mine", 1, 2));
        var theirs = writer.Enqueue(Write("partition-theirs", 1));
        var unfenced = writer.Enqueue(Write("probe-1", 1));
        writer.Start();

        await mine.WaitAsync(Wait);
        await unfenced.WaitAsync(Wait);
        var refused = await Assert.ThrowsAsync<PartitionFencedException>(() => theirs.WaitAsync(Wait));
        Assert.Contains("partition-theirs", refused.Message);
        Assert.Equal(1, metrics.Journal.Commits);
        Assert.Equal(2, Rows("partition-mine").Count);
        Assert.Single(Rows("probe-1"));
        Assert.Empty(Rows("partition-theirs"));
    }

    [Fact]
    public async Task A_write_whose_row_fails_is_taken_out_and_the_rest_of_the_group_commits()
    {
        using (var system = System("tables"))
            await PersistAllAsync(system, "taken");
        using var writer = new GroupCommitWriter(_settings.ConnectionString, "w");
        var first = writer.Enqueue(Write("other-1", 1));
        var duplicate = writer.Enqueue(Write("taken", 1)); // sequence number 1 is in the table already
        var last = writer.Enqueue(Write("other-2", 1, 2));
        writer.Start();

        await Assert.ThrowsAsync<SqliteException>(() => duplicate.WaitAsync(Wait));
        await first.WaitAsync(Wait);
        await last.WaitAsync(Wait);
        Assert.Single(Rows("other-1"));
        Assert.Equal(2, Rows("other-2").Count);
        Assert.Equal(Events.Length, Rows("taken").Count);
    }

    [Fact]
    public async Task A_connection_that_does_not_check_the_fence_itself_cannot_insert_a_partition_row()
    {
        using (var system = System("tables"))
            await PersistAllAsync(system, "tables-1");
        await new FenceStore(_settings).EnsureSchemaAsync();

        using var connection = new SqliteConnection(_settings.ConnectionString);
        connection.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid)
            VALUES (0, 0, 'partition-x', 1, x'00', '', 4, 'old-release')
            """;
        var refused = Assert.Throws<SqliteException>(() => insert.ExecuteNonQuery());
        Assert.Contains(FenceSql.WriterChecksFence, refused.Message);
        Assert.Empty(Rows("partition-x"));
    }

    private static PendingWrite Write(string persistenceId, params long[] sequenceNrs) =>
        new(persistenceId, sequenceNrs.Select(n => new JournalRowData(persistenceId, n, DateTime.UtcNow.Ticks, [7], "", 4)).ToList());

    private static Type JournalOf(ActorSystem system) =>
        ((ActorRefWithCell)Persistence.Instance.Apply(system).JournalFor(null)).Underlying.Props.Type;

    private static async Task PersistAllAsync(ActorSystem system, string persistenceId) =>
        Assert.Equal(Events.Length, await system.ActorOf(Props.Create(() => new EventLog(persistenceId)))
            .Ask<int>(new EventLog.Store(Events), Wait));

    /// <summary>The journal's rows of one persistence id, oldest first: deleted, sequence number, message,
    /// manifest, serializer id, creation ticks, writer id.</summary>
    private List<object[]> Rows(string persistenceId)
    {
        using var connection = new SqliteConnection(_settings.ConnectionString);
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = """
            SELECT deleted, sequence_number, hex(message), manifest, identifier, created, writer_uuid
            FROM journal WHERE persistence_id = $pid ORDER BY sequence_number
            """;
        read.Parameters.AddWithValue("$pid", persistenceId);
        using var reader = read.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Persists what it is given, one event at a time, and tells what it recovered.</summary>
    private sealed class EventLog : ReceivePersistentActor
    {
        public const string Read = "read";
        private readonly List<object> _events = [];

        public EventLog(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<string>(e => _events.Add(e));
            Recover<byte[]>(e => _events.Add(e));
            Recover<PartitionChanged>(e => _events.Add(e));
            Command<Store>(all =>
            {
                var replyTo = Sender;
                var left = all.Events.Length;
                PersistAll(all.Events, e =>
                {
                    _events.Add(e);
                    if (--left == 0)
                        replyTo.Tell(all.Events.Length);
                });
            });
            Command<string>(_ => Sender.Tell(_events.ToArray()));
        }

        public override string PersistenceId { get; }

        public sealed record Store(object[] Events);
    }
}
