using System.Text.Json;
using DistCache.Actors.Cluster;
using DistCache.Actors.Fencing;
using DistCache.Actors.Monitoring;
using Microsoft.Data.Sqlite;

namespace DistCache.Actors.Journal;

/// <summary>Writes the SQLite journal's rows on one thread of its own: every write queued while a commit
/// runs goes into the next transaction (group commit), through one prepared INSERT. The fence is checked
/// once per group, inside the transaction, for the partitions the group writes: SQLite holds its single
/// write lock from BEGIN IMMEDIATE to COMMIT, so no claim can come between the check and the rows. A
/// fenced partition's writes fail and the rest of the group commits; a write whose INSERT fails is taken
/// out and the group is written again without it.
/// <para>The writer's connection defines <see cref="FenceSql.WriterChecksFence"/>, which tells the journal
/// table's fence trigger that the check is done (see <see cref="FenceSql.Schema"/>).</para></summary>
public sealed class GroupCommitWriter : IDisposable
{
    private const string Insert = """
        INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid)
        VALUES ($created, 0, $pid, $seq, $message, $manifest, $identifier, $writer)
        """;

    private readonly string _connectionString;
    private readonly string _writer;
    private readonly NodeMetrics? _metrics;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private List<PendingWrite> _queue = [];
    private bool _stopping;
    private bool _fenceInstalled;
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;
    private SqliteCommand? _owned;

    public GroupCommitWriter(string connectionString, string writerUuid, NodeMetrics? metrics = null)
    {
        _connectionString = connectionString;
        _writer = writerUuid;
        _metrics = metrics;
        _thread = new Thread(Run) { IsBackground = true, Name = "distcache-journal-writer" };
    }

    /// <summary>Starts the writer thread; writes queued before this go into the first group.</summary>
    public GroupCommitWriter Start()
    {
        _thread.Start();
        return this;
    }

    public Task Enqueue(PendingWrite write)
    {
        lock (_gate)
        {
            if (_stopping)
                write.Fail(new ObjectDisposedException(nameof(GroupCommitWriter), "The journal writer has stopped."));
            else
            {
                _queue.Add(write);
                if (_queue.Count == 1)
                    Monitor.Pulse(_gate);
            }
        }
        return write.Completion;
    }

    /// <summary>Writes what is queued, then stops the thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        if (_thread.IsAlive && _thread != Thread.CurrentThread)
            _thread.Join(TimeSpan.FromSeconds(30));
    }

    private void Run()
    {
        var group = new List<PendingWrite>();
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    while (_queue.Count == 0 && !_stopping)
                        Monitor.Wait(_gate);
                    if (_queue.Count == 0)
                        return;
                    (group, _queue) = (_queue, group);
                }
                Commit(group);
                group.Clear();
            }
        }
        finally
        {
            _insert?.Dispose();
            _owned?.Dispose();
            _connection?.Dispose();
        }
    }

    private void Commit(List<PendingWrite> group)
    {
        while (group.Count > 0)
        {
            PendingWrite? failedRow = null;
            try
            {
                var connection = Connection();
                using var transaction = connection.BeginTransaction(deferred: false);
                var fenced = Fenced(group, transaction);
                _insert!.Transaction = transaction;
                foreach (var write in group)
                {
                    if (fenced?.Contains(write.PersistenceId) == true)
                        continue;
                    failedRow = write;
                    foreach (var row in write.Rows)
                        InsertRow(row);
                    failedRow = null;
                }
                transaction.Commit();
                _metrics?.JournalCommit();
                foreach (var write in group)
                {
                    if (fenced?.Contains(write.PersistenceId) == true)
                        write.Fail(new PartitionFencedException(
                            $"distcache: fenced: {write.PersistenceId} is owned by another node incarnation"));
                    else
                        write.Succeed();
                }
                return;
            }
            catch (Exception ex) when (failedRow is not null && group.Count > 1)
            {
                // The transaction rolled back: the others are written again without the one that failed.
                failedRow.Fail(ex);
                group.Remove(failedRow);
            }
            catch (Exception ex)
            {
                foreach (var write in group)
                    write.Fail(ex);
                ResetConnection();
                return;
            }
        }
    }

    private void InsertRow(JournalRowData row)
    {
        var p = _insert!.Parameters;
        p[0].Value = row.CreatedTicks;
        p[1].Value = row.PersistenceId;
        p[2].Value = row.SequenceNr;
        p[3].Value = row.Message;
        p[4].Value = row.Manifest;
        p[5].Value = row.SerializerId;
        p[6].Value = _writer;
        _insert.ExecuteNonQuery();
    }

    /// <summary>The group's partitions this writer does not own (null when it owns them all, or when the
    /// fence is not installed, as before the first claim of a node's life).</summary>
    private HashSet<string>? Fenced(List<PendingWrite> group, SqliteTransaction transaction)
    {
        HashSet<string>? partitions = null;
        foreach (var write in group)
            if (FenceSql.IsFencedId(write.PersistenceId))
                (partitions ??= []).Add(write.PersistenceId);
        if (partitions is null || !FenceInstalled(transaction))
            return null;

        _owned!.Transaction = transaction;
        _owned.Parameters[1].Value = JsonSerializer.Serialize(partitions);
        using var reader = _owned.ExecuteReader();
        while (reader.Read())
            partitions.Remove(reader.GetString(0));
        return partitions.Count == 0 ? null : partitions;
    }

    private bool FenceInstalled(SqliteTransaction transaction)
    {
        if (_fenceInstalled)
            return true;
        using var command = _connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'distcache_owners'";
        _fenceInstalled = command.ExecuteScalar() is not null;
        return _fenceInstalled;
    }

    private SqliteConnection Connection()
    {
        if (_connection is not null)
            return _connection;
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.CreateFunction(FenceSql.WriterChecksFence, () => 1L, isDeterministic: true);
        using (var durable = connection.CreateCommand())
        {
            durable.CommandText = SqliteJournalConnections.DurableCommits + "; " + SqliteJournalConnections.WaitForLocks;
            durable.ExecuteNonQuery();
        }

        var insert = connection.CreateCommand();
        insert.CommandText = Insert;
        foreach (var name in new[] { "$created", "$pid", "$seq", "$message", "$manifest", "$identifier", "$writer" })
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        var owned = connection.CreateCommand();
        owned.CommandText = FenceSql.OwnedOf;
        owned.Parameters.AddWithValue("$writer", _writer);
        owned.Parameters.Add(new SqliteParameter { ParameterName = "$ids" });

        (_connection, _insert, _owned) = (connection, insert, owned);
        return connection;
    }

    // After a failure the connection may be in any state (a broken file handle, say): open a fresh one.
    private void ResetConnection()
    {
        _insert?.Dispose();
        _owned?.Dispose();
        _connection?.Dispose();
        (_connection, _insert, _owned) = (null, null, null);
    }
}
