using DistCache.Wire;
using Akka.Configuration;
using DistCache.Actors.Journal;

namespace DistCache.Actors.Cluster;

/// <summary>Builds the persistence plugin settings: the data journal and snapshot store, plus a second
/// pair with its own tables for sharding's remember-entities rows, so they never mix with cache data.</summary>
public static class StoreConfig
{
    public static Config Build(DistCacheSettings settings)
    {
        var provider = settings.Journal == JournalKind.Sqlite ? "SQLite.MS" : "PostgreSQL.15";
        // The SQLite plugin docs advise one writer: SQLite serializes writers anyway.
        var parallelism = settings.Journal == JournalKind.Sqlite ? 1 : 3;
        var connection = WireConfig.Quote(settings.ConnectionString);
        // SQLite: every operation opens its own (pooled) connection through SqliteJournalConnections'
        // options instead of cloning one, so the yield that restores group commit runs on each write.
        var cloneConnection = settings.Journal == JournalKind.Sqlite ? "false" : "true";
        // SQLite: the plugin's journal with its write path replaced by one group-committing writer
        // thread (SqliteGroupCommitJournal); PostgreSQL: the plugin's own (Npgsql batches on its own).
        var journalClass = settings.Journal == JournalKind.Sqlite ? ClassSetting(typeof(SqliteGroupCommitJournal)) : "";
        // SQLite: the plugin's snapshot store with the latest snapshot loaded by one SELECT of ours.
        var snapshotClass = settings.Journal == JournalKind.Sqlite ? ClassSetting(typeof(SqliteSnapshotStore)) : "";
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                sql {
                  {{journalClass}}
                  connection-string = {{connection}}
                  provider-name = "{{provider}}"
                  table-mapping = default
                  parallelism = {{parallelism}}
                  auto-initialize = true
                  use-clone-connection = {{cloneConnection}}
                  # Group commit puts many partitions' events in one transaction, so one failed batch fails
                  # them all; Akka's default breaker (10 failures) then failed every write of the node for
                  # 30 s. Ride out a short burst of failures instead, and retry soon.
                  circuit-breaker {
                    max-failures = 100
                    call-timeout = 30s
                    reset-timeout = 2s
                  }
                  # The filter drops events of an old writer that reused sequence numbers; the table's unique
                  # (persistence_id, sequence_number) index and the fence never let such rows in, and the
                  # filter put an extra actor and mailbox hop on every event replayed.
                  replay-filter.mode = off
                }
                sharding {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  plugin-id = "akka.persistence.journal.sharding"
                  plugin-dispatcher = "akka.persistence.dispatchers.default-plugin-dispatcher"
                  connection-string = {{connection}}
                  provider-name = "{{provider}}"
                  table-mapping = default
                  parallelism = 1
                  auto-initialize = true
                  use-clone-connection = {{cloneConnection}}
                  default {
                    journal.table-name = "sharding_journal"
                    metadata.table-name = "sharding_journal_metadata"
                    tag.table-name = "sharding_tags"
                  }
                }
              }
              snapshot-store {
                sql {
                  {{snapshotClass}}
                  connection-string = {{connection}}
                  provider-name = "{{provider}}"
                  table-mapping = default
                  auto-initialize = true
                  use-clone-connection = {{cloneConnection}}
                }
                sharding {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  plugin-id = "akka.persistence.snapshot-store.sharding"
                  plugin-dispatcher = "akka.persistence.dispatchers.default-plugin-dispatcher"
                  connection-string = {{connection}}
                  provider-name = "{{provider}}"
                  table-mapping = default
                  auto-initialize = true
                  use-clone-connection = {{cloneConnection}}
                  default.snapshot.table-name = "sharding_snapshot"
                }
              }
            }
            """);
    }

    private static string ClassSetting(Type type) => $"class = \"{type.FullName}, {type.Assembly.GetName().Name}\"";
}
