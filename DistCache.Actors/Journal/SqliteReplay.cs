using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Persistence;
using Microsoft.Data.Sqlite;

namespace DistCache.Actors.Journal;

/// <summary>Replays one persistence id's events from the SQLite journal with one SELECT read to its end,
/// the rows read as Akka.Persistence.Sql reads them (the same filter, order, limit and columns, deserialized
/// by the same rules), and reads its highest sequence number as the plugin does (deleted rows count). The plugin's replay runs a linq2db query in a transaction per 1,000-row batch and
/// passes every row through Akka.Streams stages; in a recovery right after start-up that cost about 40 µs
/// of CPU per event, most of it the runtime compiling and re-compiling that machinery, which bounded how fast
/// a node came back after a crash.</summary>
public sealed class SqliteReplay(string connectionString, Akka.Serialization.Serialization serialization, string? defaultSerializer)
{
    // SQLite reads a negative LIMIT as none.
    private const string Select = """
        SELECT sequence_number, created, deleted, message, manifest, identifier, writer_uuid
        FROM journal
        WHERE persistence_id = $pid AND sequence_number >= $from AND sequence_number <= $to AND deleted = 0
        ORDER BY sequence_number
        LIMIT $max
        """;

    private const string Highest = """
        SELECT MAX(sequence_number) FROM journal WHERE persistence_id = $pid AND sequence_number > $from
        """;

    public long HighestSequenceNr(string persistenceId, long fromSequenceNr)
    {
        using var connection = OpenForReads(connectionString);
        using var highest = connection.CreateCommand();
        highest.CommandText = Highest;
        highest.Parameters.AddWithValue("$pid", persistenceId);
        highest.Parameters.AddWithValue("$from", fromSequenceNr);
        return highest.ExecuteScalar() is long found ? found : 0;
    }

    // Straight to optimized code: a recovery right after start-up runs this loop hundreds of thousands of
    // times before tiered compilation would get round to it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Replay(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<IPersistentRepresentation> recoveryCallback)
    {
        if (max <= 0)
            return;
        using var connection = OpenForReads(connectionString);
        using var select = connection.CreateCommand();
        select.CommandText = Select;
        select.Parameters.AddWithValue("$pid", persistenceId);
        select.Parameters.AddWithValue("$from", fromSequenceNr);
        select.Parameters.AddWithValue("$to", toSequenceNr);
        select.Parameters.AddWithValue("$max", max <= int.MaxValue ? max : -1L);
        using var rows = select.ExecuteReader();
        while (rows.Read())
        {
            var manifest = rows.IsDBNull(4) ? string.Empty : rows.GetString(4);
            var message = rows.GetFieldValue<byte[]>(3);
            var payload = rows.IsDBNull(5) ? ByType(serialization, defaultSerializer, message, manifest) : serialization.Deserialize(message, rows.GetInt32(5), manifest);
            recoveryCallback(new Persistent(payload, rows.GetInt64(0), persistenceId, manifest, rows.GetBoolean(2),
                ActorRefs.NoSender, rows.IsDBNull(6) ? null : rows.GetString(6), rows.GetInt64(1)));
        }
    }

    /// <summary>A pooled connection for reading, which waits for locks inside SQLite.</summary>
    internal static SqliteConnection OpenForReads(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var wait = connection.CreateCommand();
        // A connection opened while another recovers the WAL index gets SQLITE_BUSY; wait instead.
        wait.CommandText = Cluster.SqliteJournalConnections.WaitForLocks + "; " + Cluster.SqliteJournalConnections.SmallPageCache;
        wait.ExecuteNonQuery();
        return connection;
    }

    // Rows of releases before serializer ids were stored name the payload's type instead (as the plugin reads them).
    internal static object ByType(Akka.Serialization.Serialization serialization, string? defaultSerializer, byte[] message, string manifest)
    {
        var type = Type.GetType(manifest, throwOnError: true)!;
        return Akka.Serialization.Serialization.WithTransport(serialization.System,
            (serializer: serialization.FindSerializerForType(type, defaultSerializer), message, type),
            static state => state.serializer.FromBinary(state.message, state.type));
    }
}
