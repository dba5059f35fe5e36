using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>--connection-string-file: the journal's connection string read from a file (a mounted Secret), with
/// the same start-up errors as every other setting.</summary>
public sealed class JournalConnectionStringTests : IDisposable
{
    private const string Connection = "Host=db;Database=distcache;Username=dc;Password=p@ss word";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string File(string content)
    {
        var path = Path.Combine(_folder.Path, "connection-string");
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private static DistCacheSettings Settings(NodeOptions options) => NodeConfigBuilder.Build(options with { Journal = "postgres" }).Settings;

    [Fact]
    public void The_file_holds_the_connection_string_and_its_final_newline_is_dropped()
    {
        Assert.Equal(Connection, Settings(new NodeOptions { ConnectionStringFile = File(Connection + "\n") }).ConnectionString);
    }

    [Fact]
    public void A_string_and_a_file_together_are_refused_naming_both_settings()
    {
        var error = Assert.Throws<ConfigurationException>(() => Settings(new NodeOptions { ConnectionString = Connection, ConnectionStringFile = File(Connection) }));
        Assert.Contains("--connection-string)", error.Message);
        Assert.Contains("--connection-string-file", error.Message);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_the_setting_and_the_path()
    {
        var missing = Path.Combine(_folder.Path, "nope");
        var error = Assert.Throws<ConfigurationException>(() => Settings(new NodeOptions { ConnectionStringFile = missing }));
        Assert.Contains(JournalConnectionString.FileSetting, error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public void An_empty_file_is_refused_naming_the_setting(string content)
    {
        var error = Assert.Throws<ConfigurationException>(() => Settings(new NodeOptions { ConnectionStringFile = File(content) }));
        Assert.Contains(JournalConnectionString.FileSetting, error.Message);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void Postgres_with_neither_names_both_flags()
    {
        var error = Assert.Throws<ConfigurationException>(() => Settings(new NodeOptions()));
        Assert.Contains("--connection-string or --connection-string-file", error.Message);
    }
}
