using System.Diagnostics;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>A store written by DistCache before slots (commit adcd405, FNV-1a placement; made by
/// LegacyStore/gen.sh: strings, counters, expiries, hashes, lists, sets, sorted sets, keys written after a
/// snapshot and left only in the journal by kill -9). A node refuses it and names the command; the command,
/// killed twice part-way and run again, keeps every key, as LegacyStore/manifest.tsv (dumped from a node of
/// that commit) records them.</summary>
public sealed class LegacyStoreTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Cluster", "LegacyStore");
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_store_from_before_slots_is_refused_then_repartitioned_with_kills_and_keeps_every_key()
    {
        File.Copy(Path.Combine(Fixture, "distcache.db"), Path.Combine(_data.Path, "distcache.db"));

        using (var refused = HostProcess.Start(FreePort.Next(), _data.Path))
        {
            Assert.Equal(2, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"DistCache.Host repartition --data {_data.Path}", refused.Output);
            Assert.Contains("FNV-1a", refused.Output);
        }

        // Killed while staging (nothing of the old partitions touched yet), then while installing.
        await RunKilledAfterAsync("repartition: staged 128/256");
        await RunKilledAfterAsync("repartition: installed 64/256");
        using (var stillRefused = HostProcess.Start(FreePort.Next(), _data.Path))
            Assert.Equal(2, await stillRefused.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var finished = await HostProcess.RunCliAsync("repartition", "--data", _data.Path);
        Assert.True(finished.ExitCode == 0, finished.Stdout + finished.Stderr);
        Assert.Contains("repartition: done: 522 keys placed by slot", finished.Stdout);
        var again = await HostProcess.RunCliAsync("repartition", "--data", _data.Path);
        Assert.Contains("already placed by slot", again.Stdout);

        var respPort = FreePort.Next();
        using var node = HostProcess.Start(FreePort.Next(), _data.Path, "--resp-port", respPort.ToString());
        await node.WaitUntilReadyAsync();
        var expected = (await File.ReadAllTextAsync(Path.Combine(Fixture, "manifest.tsv"))).Replace("\r\n", "\n");
        Assert.Equal(expected, await StoreDump.ReadAsync(respPort));

        // Keys that share a hash tag now share a slot: RENAME between them is one atomic write.
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{respPort}");
        var db = redis.GetDatabase();
        Assert.True(await db.KeyRenameAsync("{user42}:cart", "{user42}:cart-old"));
        Assert.Equal("cart", (string?)await db.StringGetAsync("{user42}:cart-old"));
    }

    private async Task RunKilledAfterAsync(string line)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { HostProcess.HostDll, "repartition", "--data", _data.Path })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } output)
        {
            seen.Add(output);
            if (output.StartsWith(line, StringComparison.Ordinal))
            {
                process.Kill(); // SIGKILL on Linux: no shutdown code runs
                break;
            }
        }
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(seen.Any(l => l.StartsWith(line, StringComparison.Ordinal)), string.Join("\n", seen) + await process.StandardError.ReadToEndAsync());
    }
}

/// <summary>The same store on PostgreSQL: its partitions' journal and snapshot rows are copied as they are
/// into a database a node of this release created (whose placement record is then removed, as a store of the
/// old release has none), so reading, saving and deleting go through the PostgreSQL plugin.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLegacyStoreTests(PostgresServer server) : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Cluster", "LegacyStore");
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_postgres_store_from_before_slots_is_repartitioned_and_keeps_every_key()
    {
        var database = await server.CreateDatabaseAsync();
        string[] store = ["--journal", "postgres", "--connection-string", database];
        using (var first = HostProcess.Start(FreePort.Next(), _data.Path, store))
        {
            await first.WaitUntilReadyAsync();
            first.Kill9(); // its tables are all it was for; a graceful leave would hand 256 partitions off first
        }
        await CopyLegacyRowsAsync(database);

        var finished = await HostProcess.RunCliAsync(["repartition", .. store]);
        Assert.True(finished.ExitCode == 0, finished.Stdout + finished.Stderr);
        Assert.Contains("repartition: done: 522 keys placed by slot", finished.Stdout);

        var respPort = FreePort.Next();
        using var node = HostProcess.Start(FreePort.Next(), _data.Path, [.. store, "--resp-port", respPort.ToString()]);
        await node.WaitUntilReadyAsync();
        var expected = (await File.ReadAllTextAsync(Path.Combine(Fixture, "manifest.tsv"))).Replace("\r\n", "\n");
        Assert.Equal(expected, await StoreDump.ReadAsync(respPort));
    }

    private static async Task CopyLegacyRowsAsync(string database)
    {
        await using var pg = new Npgsql.NpgsqlConnection(database);
        await pg.OpenAsync();
        async Task Pg(string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, pg);
            await command.ExecuteNonQueryAsync();
        }
        await Pg("DELETE FROM journal; DELETE FROM snapshot; DELETE FROM distcache_owners; DELETE FROM distcache_nodes; DELETE FROM distcache_meta WHERE name = 'placement'");
        // The rows were written by their owners of the time; the fence would refuse a copy.
        await Pg("ALTER TABLE journal DISABLE TRIGGER distcache_fence");

        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Fixture, "distcache.db")};Mode=ReadOnly");
        await sqlite.OpenAsync();
        await using (var rows = new Microsoft.Data.Sqlite.SqliteCommand(
                         "SELECT created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid FROM journal WHERE persistence_id LIKE 'partition-%' ORDER BY ordering", sqlite)
                         .ExecuteReader())
        {
            while (await rows.ReadAsync())
            {
                await using var insert = new Npgsql.NpgsqlCommand(
                    "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", pg);
                insert.Parameters.AddWithValue(rows.GetInt64(0));
                insert.Parameters.AddWithValue(rows.GetInt64(1) != 0);
                insert.Parameters.AddWithValue(rows.GetString(2));
                insert.Parameters.AddWithValue(rows.GetInt64(3));
                insert.Parameters.AddWithValue(rows.GetFieldValue<byte[]>(4));
                insert.Parameters.AddWithValue(rows.IsDBNull(5) ? DBNull.Value : rows.GetString(5));
                insert.Parameters.AddWithValue(rows.IsDBNull(6) ? DBNull.Value : rows.GetInt32(6));
                insert.Parameters.AddWithValue(rows.IsDBNull(7) ? DBNull.Value : rows.GetString(7));
                await insert.ExecuteNonQueryAsync();
            }
        }
        await using (var rows = new Microsoft.Data.Sqlite.SqliteCommand(
                         "SELECT persistence_id, sequence_number, created, snapshot, manifest, serializer_id FROM snapshot WHERE persistence_id LIKE 'partition-%'", sqlite)
                         .ExecuteReader())
        {
            while (await rows.ReadAsync())
            {
                await using var insert = new Npgsql.NpgsqlCommand(
                    "INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot, manifest, serializer_id) VALUES ($1, $2, $3, $4, $5, $6)", pg);
                insert.Parameters.AddWithValue(rows.GetString(0));
                insert.Parameters.AddWithValue(rows.GetInt64(1));
                insert.Parameters.AddWithValue(rows.GetInt64(2));
                insert.Parameters.AddWithValue(rows.GetFieldValue<byte[]>(3));
                insert.Parameters.AddWithValue(rows.IsDBNull(4) ? DBNull.Value : rows.GetString(4));
                insert.Parameters.AddWithValue(rows.IsDBNull(5) ? DBNull.Value : rows.GetInt32(5));
                await insert.ExecuteNonQueryAsync();
            }
        }
        await Pg("ALTER TABLE journal ENABLE TRIGGER distcache_fence");
    }
}
