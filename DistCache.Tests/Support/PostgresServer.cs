using System.Diagnostics;
using Npgsql;

namespace DistCache.Tests.Support;

/// <summary>A real PostgreSQL server on 127.0.0.1: the one scripts/test.sh started (DISTCACHE_TEST_POSTGRES),
/// or, when the tests run on their own, one this fixture starts with scripts/postgres.sh and stops after.
/// Each test gets a database of its own.</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "DISTCACHE_TEST_POSTGRES";
    private string? _ownFolder;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = given;
            return;
        }
        _ownFolder = Path.Combine("/tmp", "distcache-pg-" + Guid.NewGuid().ToString("N")[..8]);
        ConnectionString = (await Script("start", _ownFolder)).Trim();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_ownFolder is null)
            return;
        await Script("stop", _ownFolder);
        try
        {
            Directory.Delete(_ownFolder, recursive: true);
        }
        catch (IOException)
        {
            // Logs of a server that is already gone; the temp cleaner takes them.
        }
    }

    public string CreateDatabase() => CreateDatabaseAsync().GetAwaiter().GetResult();

    /// <summary>A fresh, empty database on the server.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "dc_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        // Every test gets a database, and so a connection pool of its own: small pools whose idle
        // connections close quickly keep the server under its connection limit.
        return new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Database = name,
            MaxPoolSize = 10,
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
    }

    private static async Task<string> Script(string verb, string folder)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "postgres.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(verb);
        info.ArgumentList.Add(folder);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/postgres.sh {verb} failed: {await stderr}");
        return await stdout;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "postgres.sh")))
                return dir.FullName;
        }
        throw new InvalidOperationException("scripts/postgres.sh not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
