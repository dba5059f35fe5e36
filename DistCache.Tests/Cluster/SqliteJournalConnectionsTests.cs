using DistCache.Wire;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using DistCache.Actors.Cluster;
using DistCache.Actors.Monitoring;
using DistCache.Tests.Support;
using LinqToDB.Data;

namespace DistCache.Tests.Cluster;

/// <summary>The connections the SQL persistence plugins open on SQLite keep every commit on disk: WAL (set
/// on the file when the node starts) and synchronous FULL, on the synchronous and the asynchronous path.</summary>
public sealed class SqliteJournalConnectionsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private DistCacheSettings Settings(string journal = "sqlite") => DistCacheSettings.From(ConfigurationFactory
        .ParseString($"""
            distcache.data-dir = {WireConfig.Quote(_folder.Path)}
            distcache.journal = {journal}
            distcache.connection-string = "{(journal == "sqlite" ? "" : "Host=localhost")}"
            """)
        .WithFallback(HoconResources.Load("distcache.conf")));

    private static string Pragma(DataConnection connection, string name) =>
        Convert.ToString(connection.Execute<object>($"PRAGMA {name}"))!;

    [Fact]
    public async Task A_journal_connection_runs_wal_with_synchronous_full_opened_either_way()
    {
        var settings = Settings();
        StoreGuard.Check(settings);
        var options = SqliteJournalConnections.Options(settings.ConnectionString);

        await using (var opened = new DataConnection(options))
        {
            // The plugins open asynchronously; the yield and the pragma run there.
            await opened.ExecuteAsync("SELECT 1");
            Assert.Equal("2", Pragma(opened, "synchronous"));
            Assert.Equal("wal", Pragma(opened, "journal_mode"));
            // Pooled, and rarely reading: a small page cache each (README, Soak).
            Assert.Equal("-256", Pragma(opened, "cache_size"));
        }
        await using (var opened = new DataConnection(options))
        {
            opened.Execute("SELECT 1");
            Assert.Equal("2", Pragma(opened, "synchronous"));
        }
    }

    [Fact]
    public void Only_sqlite_gets_the_connection_setup()
    {
        Assert.NotNull(SqliteJournalConnections.SetupFor(Settings()));
        Assert.Null(SqliteJournalConnections.SetupFor(Settings("postgres")));
    }

    [Fact]
    public void Sqlite_plugins_open_a_connection_per_operation_and_postgres_plugins_keep_the_default()
    {
        var sqlite = StoreConfig.Build(Settings());
        var postgres = StoreConfig.Build(Settings("postgres"));
        foreach (var plugin in new[] { "journal.sql", "journal.sharding", "snapshot-store.sql", "snapshot-store.sharding" })
        {
            Assert.False(sqlite.GetBoolean($"akka.persistence.{plugin}.use-clone-connection"));
            Assert.True(postgres.GetBoolean($"akka.persistence.{plugin}.use-clone-connection"));
        }
    }

    [Fact]
    public async Task Journal_commits_are_counted_for_the_node_metrics()
    {
        var metrics = new NodeMetrics();
        using var system = ActorSystem.Create("commits", PersistenceConfig.ForSqlite(_folder.Path, metrics));
        var writer = system.ActorOf(Props.Create(() => new Writer()));
        for (var i = 0; i < 3; i++)
            Assert.Equal(i + 1, await writer.Ask<long>($"event {i}", TimeSpan.FromSeconds(30)));
        // Each Persist waits for the one before, so each is a transaction of its own.
        Assert.True(metrics.Journal.Commits >= 3, $"commits counted: {metrics.Journal.Commits}");
    }

    private sealed class Writer : ReceivePersistentActor
    {
        public override string PersistenceId => "commit-counter";

        public Writer() => Command<string>(text => Persist(text, _ => Sender.Tell(LastSequenceNr)));
    }
}
