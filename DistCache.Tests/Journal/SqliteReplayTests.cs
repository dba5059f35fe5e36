using Akka.Actor;
using Akka.Persistence;
using DistCache.Actors.Cluster;
using DistCache.Actors.Journal;
using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DistCache.Tests.Journal;

/// <summary>The SQLite recovery reads of our own (<see cref="SqliteReplay"/>, <see cref="SqliteSnapshotStore"/>)
/// against the stock plugin's, on the same rows of a real file: for every range, limit and deleted row, both
/// hand the persistent actor the same events with the same sequence numbers, manifests, writer ids and
/// timestamps, in the same order, and the same highest sequence number; both load the same latest snapshot.</summary>
public sealed class SqliteReplayTests : IDisposable
{
    private const string StockJournal = "akka.persistence.journal.sql.class = \"Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql\"";
    private const string StockSnapshots = "akka.persistence.snapshot-store.sql.class = \"Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql\"";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new();
    private readonly DistCacheSettings _settings;

    public SqliteReplayTests()
    {
        _settings = NodeConfigBuilder.Build(new NodeOptions { DataDir = _folder.Path }).Settings;
        StoreGuard.Check(_settings);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Replays_what_the_stock_plugin_replays_for_every_range_limit_and_deleted_row()
    {
        object[] events =
        [
            "first",
            new byte[] { 1, 2, 3 },
            new PartitionChanged(Guid.NewGuid(), null, [new EntryRemoved("k1")]),
            new PartitionChanged(Guid.NewGuid(), null, [new EntrySet("k2", new CacheValue(ValueKind.Bytes, [4, 5]), 0)]),
            "fifth",
            "sixth",
        ];
        using (var writer = ActorSystem.Create("writer", PersistenceConfig.ForSqlite(_folder.Path)))
            Assert.Equal(events.Length, await writer.ActorOf(Props.Create(() => new Writer("p-1"))).Ask<int>(events, Wait));
        // The plugin's delete first marks rows deleted: a replay must skip them.
        MarkDeleted("p-1", upTo: 1);

        (long From, long To, long Max)[] ranges =
            [(1, long.MaxValue, long.MaxValue), (0, long.MaxValue, long.MaxValue), (3, 5, long.MaxValue), (1, long.MaxValue, 2), (4, 4, 10), (7, 9, 5), (2, 6, 0)];
        Replay[] stock, ours;
        using (var system = ActorSystem.Create("stock", PersistenceConfig.ForSqlite(_folder.Path, overrides: StockJournal)))
            stock = await ReplayAllAsync(system, ranges);
        using (var system = ActorSystem.Create("ours", PersistenceConfig.ForSqlite(_folder.Path)))
        {
            Assert.Equal(typeof(SqliteGroupCommitJournal), ((ActorRefWithCell)Persistence.Instance.Apply(system).JournalFor(null)).Underlying.Props.Type);
            ours = await ReplayAllAsync(system, ranges);
        }

        Assert.Equal([2, 3, 4, 5, 6], ours[0].Events.Select(r => r.SequenceNr));
        Assert.Equal([3, 4, 5], ours[2].Events.Select(r => r.SequenceNr));
        Assert.Equal([2, 3], ours[3].Events.Select(r => r.SequenceNr));
        Assert.Empty(ours[5].Events);
        // Akka asks for the highest above from - 1: nothing above 6.
        Assert.Equal([6, 6, 6, 6, 6, 0, 6], ours.Select(r => r.Highest));
        for (var i = 0; i < ranges.Length; i++)
        {
            Assert.Equal(stock[i].Events, ours[i].Events);
            Assert.Equal(stock[i].Highest, ours[i].Highest);
        }
        Assert.Equal("010203", ours[0].Events[0].Payload);
        Assert.Equal([nameof(PartitionChanged), nameof(PartitionChanged)], ours[0].Events.Skip(1).Take(2).Select(r => r.PayloadType));
    }

    [Fact]
    public async Task Loads_the_latest_snapshot_as_the_stock_plugin_does()
    {
        var state = new PartitionSnapshot([new SnapshotEntry("k", new CacheValue(ValueKind.String, [104, 105]), 3, 0)], []);
        using (var stock = ActorSystem.Create("stock", PersistenceConfig.ForSqlite(_folder.Path, overrides: StockSnapshots)))
        {
            var store = Persistence.Instance.Apply(stock).SnapshotStoreFor(null);
            Assert.Equal(typeof(Akka.Persistence.Sql.Snapshot.SqlSnapshotStore), ((ActorRefWithCell)store).Underlying.Props.Type);
            foreach (var (sequenceNr, snapshot) in new (long, object)[] { (3, "older"), (12, state), (7, "between") })
                await store.Ask<SaveSnapshotSuccess>(new SaveSnapshot(new SnapshotMetadata("s-1", sequenceNr, DateTime.UtcNow.AddSeconds(sequenceNr)), snapshot), Wait);
        }

        LoadSnapshotResult[] Load(ActorSystem system) => new[] { "s-1", "s-none" }.Select(id => Persistence.Instance.Apply(system).SnapshotStoreFor(null)
            .Ask<LoadSnapshotResult>(new LoadSnapshot(id, SnapshotSelectionCriteria.Latest, long.MaxValue), Wait).GetAwaiter().GetResult()).ToArray();
        LoadSnapshotResult[] stockLoads, ourLoads;
        using (var system = ActorSystem.Create("stock", PersistenceConfig.ForSqlite(_folder.Path, overrides: StockSnapshots)))
            stockLoads = Load(system);
        using (var system = ActorSystem.Create("ours", PersistenceConfig.ForSqlite(_folder.Path)))
        {
            Assert.Equal(typeof(SqliteSnapshotStore), ((ActorRefWithCell)Persistence.Instance.Apply(system).SnapshotStoreFor(null)).Underlying.Props.Type);
            ourLoads = Load(system);
        }

        var ours = ourLoads[0].Snapshot!;
        Assert.Equal(stockLoads[0].Snapshot!.Metadata, ours.Metadata);
        Assert.Equal(stockLoads[0].Snapshot!.Metadata.Timestamp, ours.Metadata.Timestamp);
        Assert.Equal(12, ours.Metadata.SequenceNr);
        var restored = Assert.IsType<PartitionSnapshot>(ours.Snapshot);
        Assert.Equal("hi", System.Text.Encoding.UTF8.GetString(restored.Entries.Single().Value.Data));
        Assert.Equal(3, restored.Entries.Single().Version);
        Assert.Null(stockLoads[1].Snapshot);
        Assert.Null(ourLoads[1].Snapshot);
    }

    private static async Task<Replay[]> ReplayAllAsync(ActorSystem system, (long From, long To, long Max)[] ranges)
    {
        var journal = Persistence.Instance.Apply(system).JournalFor(null);
        var all = new Replay[ranges.Length];
        for (var i = 0; i < ranges.Length; i++)
        {
            var (from, to, max) = ranges[i];
            all[i] = await system.ActorOf(Props.Create(() => new ReplayCollector(journal)))
                .Ask<Replay>(new ReplayRange("p-1", from, to, max), Wait);
        }
        return all;
    }

    private void MarkDeleted(string persistenceId, long upTo)
    {
        using var connection = new SqliteConnection(_settings.ConnectionString);
        connection.Open();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE journal SET deleted = 1 WHERE persistence_id = $pid AND sequence_number <= $to";
        update.Parameters.AddWithValue("$pid", persistenceId);
        update.Parameters.AddWithValue("$to", upTo);
        Assert.Equal((int)upTo, update.ExecuteNonQuery());
    }

    /// <summary>What a replayed event carries, its payload as its type and serialized bytes (compared by value).</summary>
    private sealed record Replayed(long SequenceNr, string PayloadType, string Payload, string Manifest, string? Writer, long Timestamp, bool Deleted);

    private sealed record Replay(List<Replayed> Events, long Highest);

    private sealed record ReplayRange(string PersistenceId, long From, long To, long Max);

    /// <summary>Asks the journal for one replay as a persistent actor would and answers with what came back.</summary>
    private sealed class ReplayCollector : ReceiveActor
    {
        public ReplayCollector(IActorRef journal)
        {
            var replayed = new List<Replayed>();
            IActorRef? asker = null;
            Receive<ReplayRange>(range =>
            {
                asker = Sender;
                journal.Tell(new ReplayMessages(range.From, range.To, range.Max, range.PersistenceId, Self));
            });
            Receive<ReplayedMessage>(m =>
            {
                var payload = m.Persistent.Payload;
                var bytes = Context.System.Serialization.FindSerializerFor(payload).ToBinary(payload);
                replayed.Add(new Replayed(m.Persistent.SequenceNr, payload.GetType().Name, Convert.ToHexString(bytes), m.Persistent.Manifest,
                    m.Persistent.WriterGuid, m.Persistent.Timestamp, m.Persistent.IsDeleted));
            });
            Receive<RecoverySuccess>(done => asker!.Tell(new Replay(replayed, done.HighestSequenceNr)));
            Receive<ReplayMessagesFailure>(f => asker!.Tell(new Status.Failure(f.Cause)));
        }
    }

    /// <summary>Persists the events it is given, one at a time.</summary>
    private sealed class Writer : ReceivePersistentActor
    {
        public Writer(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<object[]>(all =>
            {
                var replyTo = Sender;
                var left = all.Length;
                PersistAll(all, _ =>
                {
                    if (--left == 0)
                        replyTo.Tell(all.Length);
                });
            });
        }

        public override string PersistenceId { get; }
    }
}
