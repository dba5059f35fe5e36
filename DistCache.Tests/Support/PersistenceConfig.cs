using Akka.Configuration;
using DistCache.Actors.Cluster;

namespace DistCache.Tests.Support;

/// <summary>A local (non-cluster) actor system journaling to a real database: SQLite in a temp folder or
/// a PostgreSQL database of the test's own.</summary>
public static class PersistenceConfig
{
    public static Config ForSqlite(string folder) =>
        For($"distcache.data-dir = {WireConfig.Quote(folder)}");

    public static Config ForPostgres(string connectionString, string folder) =>
        For($"""
            distcache.data-dir = {WireConfig.Quote(folder)}
            distcache.journal = postgres
            distcache.connection-string = {WireConfig.Quote(connectionString)}
            """);

    private static Config For(string storeSettings)
    {
        var settings = DistCacheSettings.From(ConfigurationFactory
            .ParseString(storeSettings)
            .WithFallback(HoconResources.Load("distcache.conf")));
        return ConfigurationFactory.ParseString("""
                akka.actor.provider = local
                akka.loglevel = WARNING
                akka.persistence.journal.plugin = "akka.persistence.journal.sql"
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
                """)
            .WithFallback(StoreConfig.Build(settings))
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration)
            .WithFallback(WireConfig.Build(settings.Limits.MaxValueBytes));
    }
}
