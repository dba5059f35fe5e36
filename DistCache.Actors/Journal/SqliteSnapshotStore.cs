using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Snapshot;
using Config = Akka.Configuration.Config;

namespace DistCache.Actors.Journal;

/// <summary>The SQLite snapshot store: Akka.Persistence.Sql's, except that loading a persistence id's latest
/// snapshot (what every partition does when it recovers) is one SELECT of our own instead of a linq2db query
/// in a transaction, which cost about a tenth of the CPU of a node's recovery at start-up. The row is read as
/// the plugin reads it (same row, metadata and deserialization); every other load, the saves, the deletes and
/// the schema stay the plugin's.</summary>
public sealed class SqliteSnapshotStore : SqlSnapshotStore
{
    private const string Latest = """
        SELECT sequence_number, created, snapshot, manifest, serializer_id
        FROM snapshot WHERE persistence_id = $pid ORDER BY sequence_number DESC LIMIT 1
        """;

    private readonly string _connectionString;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly string? _defaultSerializer;

    public SqliteSnapshotStore(Config snapshotConfig) : base(snapshotConfig)
    {
        var config = snapshotConfig.WithFallback(SqlPersistence.DefaultSnapshotConfiguration);
        _connectionString = config.GetString("connection-string");
        _defaultSerializer = config.GetString("serializer", null);
        _serialization = Context.System.Serialization;
    }

    // As the plugin, which looks only at the criteria's maximums.
    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        criteria.MaxSequenceNr == long.MaxValue && criteria.MaxTimeStamp == DateTime.MaxValue
            ? Task.Run(() => LoadLatest(persistenceId), cancellationToken)
            : base.LoadAsync(persistenceId, criteria, cancellationToken);

    private SelectedSnapshot? LoadLatest(string persistenceId)
    {
        using var connection = SqliteReplay.OpenForReads(_connectionString);
        using var latest = connection.CreateCommand();
        latest.CommandText = Latest;
        latest.Parameters.AddWithValue("$pid", persistenceId);
        using var row = latest.ExecuteReader();
        if (!row.Read())
            return null;
        var manifest = row.IsDBNull(3) ? string.Empty : row.GetString(3);
        var payload = row.GetFieldValue<byte[]>(2);
        var snapshot = row.IsDBNull(4)
            ? SqliteReplay.ByType(_serialization, _defaultSerializer, payload, manifest)
            : _serialization.Deserialize(payload, row.GetInt32(4), manifest);
        return new SelectedSnapshot(new SnapshotMetadata(persistenceId, row.GetInt64(0), new DateTime(row.GetInt64(1))), snapshot);
    }
}
