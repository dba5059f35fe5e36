using System.Data.Common;
using Akka.Actor.Setup;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Data;

namespace DistCache.Actors.Cluster;

/// <summary>How the SQL persistence plugins open their SQLite connections. Given to the actor system as a
/// <see cref="DataOptionsSetup"/>, which applies to every Akka.Persistence.Sql plugin of the node (data
/// journal and snapshot store, sharding's journal and snapshot store).
/// <para>The data journal's rows are written by <see cref="Journal.GroupCommitWriter"/> on a connection of its
/// own (also FULL); these options serve its reads and everything else the plugins do.
/// Microsoft.Data.Sqlite's async methods complete synchronously, so Akka.Persistence.Sql's write
/// stage (a batching queue feeding <c>SelectAsync</c>) would run each whole transaction, fsync included,
/// before the queue can hand it the next batch: one row per commit, whatever <c>batch-size</c> says. Yielding
/// once after the connection opens lets the stage return, so the events of every partition that arrive
/// during a commit form the next batch: cross-partition group commit (akkadotnet/Akka.Persistence.Sql#580
/// is the upstream issue). It needs <c>use-clone-connection = false</c> (see <see cref="StoreConfig"/>),
/// which makes each operation open its own connection (pooled by the driver) through these options.</para>
/// <para>Each connection is also set to <c>synchronous = FULL</c>: with WAL (set on the file by
/// <see cref="StoreGuard"/>) a commit returns only after the WAL is fsynced, so an acknowledged write in
/// mode always survives a power loss, not only a process crash. FULL is SQLite's default in WAL mode; it is
/// stated here so a driver build with another default cannot weaken it. The pragma is per connection.</para>
/// PostgreSQL gets none of this: Npgsql is truly asynchronous, and its plugins keep their HOCON settings.</summary>
public static class SqliteJournalConnections
{
    /// <summary>The SQLite pragma that makes a commit durable on power loss; per connection.</summary>
    public const string DurableCommits = "PRAGMA synchronous = FULL";

    /// <summary>Waits for another connection's write lock inside SQLite (short sleeps, up to 30 s) instead of
    /// returning SQLITE_BUSY to Microsoft.Data.Sqlite, whose own retry sleeps 150 ms each time: one such
    /// sleep of the journal writer stalls every partition's writes.</summary>
    public const string WaitForLocks = "PRAGMA busy_timeout = 30000";

    /// <summary>A page cache of 256 KiB instead of SQLite's 2 MB, for every connection but the journal writer's.
    /// The driver pools connections and each keeps its own cache; after a node takes over a stopped node's
    /// partitions its pool holds about 50 (it held 5-7 before), and RSS stepped up 54-66 MB per take-over in the
    /// soak (26-38 MB with this; README, Soak). These connections read rarely (recoveries, fences, deletes,
    /// snapshots), and the file's pages stay in the OS cache.</summary>
    public const string SmallPageCache = "PRAGMA cache_size = -256";

    /// <summary>The setup to add to the node's actor system; none for PostgreSQL.</summary>
    public static Setup? SetupFor(DistCacheSettings settings) =>
        settings.Journal == JournalKind.Sqlite ? new DataOptionsSetup(Options(settings.ConnectionString)) : null;

    /// <summary>The options the plugins open their connections with.</summary>
    public static DataOptions Options(string connectionString) =>
        new DataOptions()
            .UseConnectionString(ProviderName.SQLiteMS, connectionString)
            .UseAfterConnectionOpened(MakeDurable, OpenedAsync);

    private static async Task OpenedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await Task.Yield();
        MakeDurable(connection);
    }

    private static void MakeDurable(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = DurableCommits + "; " + WaitForLocks + "; " + SmallPageCache;
        command.ExecuteNonQuery();
    }
}
