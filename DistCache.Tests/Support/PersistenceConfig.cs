using Akka.Configuration;
using DistCache.Actors.Cluster;

namespace DistCache.Tests.Support;

/// <summary>A local (non-cluster) actor system journaling to a real SQLite file in a temp folder.</summary>
public static class PersistenceConfig
{
    public static Config ForSqlite(string folder)
    {
        var settings = DistCacheSettings.From(ConfigurationFactory
            .ParseString($"distcache.data-dir = {WireConfig.Quote(folder)}")
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
