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
    public async Task<long?> ClaimAsync(string persistenceId, string writer)
    {
        await using var connection = await OpenAsync();
        if (await ExecuteAsync(connection, null, _sql.Claim, ("pid", persistenceId), ("writer", writer)) != 1)
            return null;
        return Convert.ToInt64(await ScalarAsync(connection, null, _sql.JournalHighest, ("pid", persistenceId)));
    }

    public async Task ReleaseAsync(string persistenceId, string writer)
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, null, _sql.Release, ("pid", persistenceId), ("writer", writer));
    }

    private async Task<DbConnection> OpenAsync()
    {
        var connection = StoreGuard.Open(_settings);
        if (_settings.Journal == JournalKind.Sqlite)
            await ExecuteAsync(connection, null, "PRAGMA busy_timeout = 30000");
        return connection;
    }

    private async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work)
    {
        await using var connection = await OpenAsync();
        // Microsoft.Data.Sqlite begins IMMEDIATE: the write lock is taken first, so two nodes' decisions
        // run one after the other.
        await using var transaction = await connection.BeginTransactionAsync();
        if (_sql.Lock is { } takeLock)
            await ExecuteAsync(connection, transaction, takeLock);
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
