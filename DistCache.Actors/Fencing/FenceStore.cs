using System.Data.Common;
using DistCache.Actors.Cluster;

namespace DistCache.Actors.Fencing;

/// <summary>Fencing's reads and writes in the store every node shares: node leases and partition
/// owners. Each call opens a pooled connection of its own, so the lease renewal never queues behind a
/// claim or the journal.</summary>
public sealed class FenceStore
{
    private readonly DistCacheSettings _settings;
    private readonly FenceSql _sql;

    public FenceStore(DistCacheSettings settings)
    {
        _settings = settings;
        _sql = FenceSql.For(settings.Journal);
    }

    public async Task EnsureSchemaAsync()
    {
        await InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var statement in _sql.Schema())
                await ExecuteAsync(connection, transaction, statement);
            return true;
        });
    }

    /// <summary>The journal writer id this node's journal stamps on every row it inserts: read back from
    /// a probe row written through the journal, then removed.</summary>
    public async Task<string> ReadProbeWriterAsync(string probePersistenceId)
    {
        await using var connection = await OpenAsync();
        var writer = await ScalarAsync(connection, null, _sql.ProbeWriter, ("pid", probePersistenceId));
        await ExecuteAsync(connection, null, _sql.DeleteProbe, ("pid", probePersistenceId));
        return Convert.ToString(writer) is { Length: > 0 } id
            ? id
            : throw new InvalidOperationException("The journal did not record a writer id (akka.persistence.journal.sql.use-writer-uuid-column must stay on).");
    }

    public async Task InsertLeaseAsync(string writer, string address, TimeSpan lease)
    {
        await InTransactionAsync(async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, _sql.DeleteOldLeases);
            await ExecuteAsync(connection, transaction, _sql.ExpirePredecessors, ("address", address), ("writer", writer));
            await ExecuteAsync(connection, transaction, _sql.InsertLease, ("writer", writer), ("address", address), ("lease", (long)lease.TotalMilliseconds));
            return true;
        });
    }

    /// <summary>False when the lease had already lapsed (it is then never renewed again).</summary>
    public async Task<bool> RenewLeaseAsync(string writer, TimeSpan lease, bool up)
    {
        await using var connection = await OpenAsync();
        return await ExecuteAsync(connection, null, _sql.RenewLease, ("writer", writer), ("lease", (long)lease.TotalMilliseconds), ("up", up ? 1 : 0)) == 1;
    }

    public async Task RetakeLeaseAsync(string writer, string address, TimeSpan lease, bool up)
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, null, _sql.RetakeLease, ("writer", writer), ("address", address), ("lease", (long)lease.TotalMilliseconds), ("up", up ? 1 : 0));
    }

    public async Task DropLeaseAsync(string writer)
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, null, _sql.DropLease, ("writer", writer));
    }

    /// <summary>Decides, atomically with every other node doing the same, whether this node forms a new
    /// cluster (no live node is a member of one) or joins the live members it returns.</summary>
    public async Task<IReadOnlyList<string>> FormOrFindMembersAsync(string writer)
    {
        return await InTransactionAsync<IReadOnlyList<string>>(async (connection, transaction) =>
        {
            var members = new List<string>();
            await using (var command = Command(connection, transaction, _sql.LiveOthers, ("writer", writer)))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    if (Convert.ToInt64(reader.GetValue(1)) == 1)
                        members.Add(reader.GetString(0));
            }
            if (members.Count == 0)
                await ExecuteAsync(connection, transaction, _sql.MarkForming, ("writer", writer));
            return members;
        });
    }

    /// <summary>Claims a partition for this node's writer; on success returns the highest sequence number
    /// the journal holds for it (to compare with what recovery read), else null (another live node still
    /// owns it).</summary>
    public async Task<long?> ClaimAsync(string persistenceId, string writer) =>
        (await ApplyAsync([new OwnerChange(persistenceId, Claim: true)], writer))[0];

    public async Task ReleaseAsync(string persistenceId, string writer) =>
        await ApplyAsync([new OwnerChange(persistenceId, Claim: false)], writer);

    /// <summary>Claims and releases in the order given, in one transaction (a node starting 256 partitions
    /// claims them in one commit, not 256). Each claim's result is as <see cref="ClaimAsync"/>'s; a
    /// release's is null.</summary>
    public async Task<long?[]> ApplyAsync(IReadOnlyList<OwnerChange> changes, string writer)
    {
        return await InTransactionAsync(async (connection, transaction) =>
        {
            var results = new long?[changes.Count];
            for (var i = 0; i < changes.Count; i++)
            {
                var pid = changes[i].PersistenceId;
                if (!changes[i].Claim)
                    await ExecuteAsync(connection, transaction, _sql.Release, ("pid", pid), ("writer", writer));
                else if (await ExecuteAsync(connection, transaction, _sql.Claim, ("pid", pid), ("writer", writer)) == 1)
                    results[i] = Convert.ToInt64(await ScalarAsync(connection, transaction, _sql.JournalHighest, ("pid", pid)));
            }
            return results;
        }, takeLock: false);
    }

    private async Task<DbConnection> OpenAsync()
    {
        var connection = StoreGuard.Open(_settings);
        if (_settings.Journal == JournalKind.Sqlite)
            await ExecuteAsync(connection, null, SqliteJournalConnections.WaitForLocks + "; " + SqliteJournalConnections.SmallPageCache);
        return connection;
    }

    private async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool takeLock = true)
    {
        await using var connection = await OpenAsync();
        // Microsoft.Data.Sqlite begins IMMEDIATE: the write lock is taken first, so two nodes' decisions
        // run one after the other.
        await using var transaction = await connection.BeginTransactionAsync();
        if (takeLock && _sql.Lock is { } lockStatement)
            await ExecuteAsync(connection, transaction, lockStatement);
        var result = await work(connection, transaction);
        await transaction.CommitAsync();
        return result;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync();
    }
}

/// <summary>A claim (true) or a release (false) of one partition by this node's writer.</summary>
public sealed record OwnerChange(string PersistenceId, bool Claim);
