using DistCache.Wire;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Actors.Journal;
using DistCache.Actors.Monitoring;

namespace DistCache.Tests.Support;

/// <summary>A local (non-cluster) actor system journaling to a real database: SQLite in a temp folder or
/// a PostgreSQL database of the test's own. The setup carries what a node's own actor system gets (the
/// SQLite connection options), so the tests run the plugins as a node does.</summary>
public static class PersistenceConfig
{
    /// <param name="overrides">HOCON that takes precedence over the node's persistence settings.</param>
    public static ActorSystemSetup ForSqlite(string folder, NodeMetrics? metrics = null, string? overrides = null) =>
        For($"distcache.data-dir = {WireConfig.Quote(folder)}", metrics, overrides);

    public static ActorSystemSetup ForPostgres(string connectionString, string folder) =>
        For($"""
            distcache.data-dir = {WireConfig.Quote(folder)}
            distcache.journal = postgres
            distcache.connection-string = {WireConfig.Quote(connectionString)}
            """);

    private static ActorSystemSetup For(string storeSettings, NodeMetrics? metrics = null, string? overrides = null)
    {
        var settings = DistCacheSettings.From(ConfigurationFactory
            .ParseString(storeSettings)
            .WithFallback(HoconResources.Load("distcache.conf")));
        var config = ConfigurationFactory.ParseString(overrides ?? "").WithFallback(ConfigurationFactory.ParseString("""
                akka.actor.provider = local
                akka.loglevel = WARNING
                akka.persistence.journal.plugin = "akka.persistence.journal.sql"
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
                """))
            .WithFallback(StoreConfig.Build(settings))
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration)
            .WithFallback(HoconResources.NodeWire(settings.Limits.MaxValueBytes))
            // A node's serializers without its remoting: a node has Akka.Remote's (strings, Status, …), and with
            // no fallback to JSON (wire-strict.conf) a test's string event needs them as a node would.
            .WithFallback(ConfigurationFactory.FromResource<Akka.Remote.RemoteActorRefProvider>("Akka.Remote.Configuration.Remote.conf"));
        return WireConfig.Setup(config, SqliteJournalConnections.SetupFor(settings), metrics is null ? null : new JournalMetricsSetup(metrics));
    }
}
