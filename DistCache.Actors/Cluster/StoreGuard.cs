using System.Data.Common;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DistCache.Actors.Cluster;

/// <summary>Records the partition count and the placement scheme beside the data the first time a store is
/// used, and refuses a node whose count or scheme differs: keys would hash to partitions that do not hold them.
/// A store made before slots has a count but no scheme: its keys sit where FNV-1a put them, and
/// <c>DistCache.Host repartition</c> moves them (<see cref="StorePlacement"/>).</summary>
public static class StoreGuard
{
    /// <summary>Checks the partition count and returns the store's id, created the first time the store is used.</summary>
    public static string Check(DistCacheSettings settings)
    {
        if (settings.Journal == JournalKind.Sqlite)
            Directory.CreateDirectory(settings.DataDir);

        using var connection = Open(settings);
        if (settings.Journal == JournalKind.Sqlite)
            // WAL lets several host processes on one machine share the file without blocking readers.
            Execute(connection, "PRAGMA journal_mode=WAL;");

        Execute(connection, "CREATE TABLE IF NOT EXISTS distcache_meta (name VARCHAR(64) PRIMARY KEY, value VARCHAR(256) NOT NULL)");
        // A new store is placed by slot from its first write; one that already has a count was made before slots.
        if (Read(connection, "partitions") == "")
            Execute(connection, $"INSERT INTO distcache_meta (name, value) VALUES ('{StorePlacement.Name}', '{StorePlacement.Slots}') ON CONFLICT (name) DO NOTHING");
        Execute(connection, $"INSERT INTO distcache_meta (name, value) VALUES ('partitions', '{settings.Partitions}') ON CONFLICT (name) DO NOTHING");
        Execute(connection, $"INSERT INTO distcache_meta (name, value) VALUES ('store-id', '{Guid.NewGuid():N}') ON CONFLICT (name) DO NOTHING");

        var stored = Read(connection, "partitions");
        if (stored != settings.Partitions.ToString())
            throw new ConfigurationException(
                $"distcache.partitions = {settings.Partitions}, but the data in {Describe(settings)} was written with {stored} partitions. " +
                $"Start with --partitions {stored} (or distcache.partitions = {stored}), or use another data folder.");
        var placement = Read(connection, StorePlacement.Name);
        if (placement != StorePlacement.Slots)
            throw new ConfigurationException(StorePlacement.Refusal(settings, placement));
        return Read(connection, "store-id");
    }

    public static string Read(DbConnection connection, string name)
    {
        using var read = connection.CreateCommand();
        read.CommandText = $"SELECT value FROM distcache_meta WHERE name = '{name}'";
        return Convert.ToString(read.ExecuteScalar()) ?? "";
    }

    public static string Describe(DistCacheSettings settings) =>
        settings.Journal == JournalKind.Sqlite ? settings.DataDir : "the PostgreSQL database";

    /// <summary>Opens a connection to the node's store (pooled by the driver).</summary>
    public static DbConnection Open(DistCacheSettings settings)
    {
        DbConnection connection = settings.Journal == JournalKind.Sqlite
            ? new SqliteConnection(settings.ConnectionString)
            : new NpgsqlConnection(settings.ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception ex)
        {
            connection.Dispose();
            throw new ConfigurationException($"distcache.connection-string: cannot open the {settings.Journal} store ({ex.Message})");
        }
    }

    public static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
