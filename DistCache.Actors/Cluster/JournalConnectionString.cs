using Akka.Configuration;

namespace DistCache.Actors.Cluster;

/// <summary>The journal database's connection string: <c>distcache.connection-string</c>, or the file
/// <c>distcache.connection-string-file</c> names. The file is how a secret store hands over a password
/// (a Kubernetes Secret mounted as a volume): an argument would show in <c>/proc/*/cmdline</c>.</summary>
public static class JournalConnectionString
{
    public const string Setting = "distcache.connection-string";
    public const string FileSetting = "distcache.connection-string-file";

    public static string From(Config distcache, JournalKind journal, string dataDir)
    {
        var given = distcache.GetString("connection-string", "");
        var file = distcache.GetString("connection-string-file", "");
        if (!string.IsNullOrWhiteSpace(file))
        {
            // Two sources would leave the operator guessing which one the node uses.
            if (!string.IsNullOrWhiteSpace(given))
                throw new ConfigurationException($"{Setting} (--connection-string) and {FileSetting} (--connection-string-file) are both set; give one");
            given = Read(file);
        }
        if (!string.IsNullOrWhiteSpace(given))
            return given;
        return journal == JournalKind.Postgres
            ? throw new ConfigurationException($"{Setting} is required when distcache.journal = postgres (--connection-string or --connection-string-file)")
            : $"Data Source={Path.Combine(dataDir, "distcache.db")}";
    }

    // Surrounding whitespace is dropped: a file written by `echo` or `kubectl create secret --from-file` may end
    // with a newline, and a connection string never ends with one.
    private static string Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException($"{FileSetting} = '{path}' cannot be read: {ex.Message}");
        }
        var connection = text.Trim();
        return connection.Length > 0
            ? connection
            : throw new ConfigurationException($"{FileSetting} = '{path}' is empty; it must hold the connection string");
    }
}
