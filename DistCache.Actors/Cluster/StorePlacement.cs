namespace DistCache.Actors.Cluster;

/// <summary>How a store's keys are placed, as recorded in its distcache_meta table. "slots": by Redis Cluster
/// slot (<see cref="DistCache.Wire.KeySlot"/>). No record: the store was made before slots, by FNV-1a modulo
/// the partition count; its keys must be moved once before a node serves it.</summary>
public static class StorePlacement
{
    public const string Name = "placement";
    public const string Slots = "slots";

    public static string Refusal(DistCacheSettings settings, string placement) =>
        placement == ""
            ? $"The data in {StoreGuard.Describe(settings)} was written before keys were placed by Redis Cluster slot (FNV-1a placement). " +
              $"Stop every node that uses it, then run `DistCache.Host repartition {RepartitionArguments(settings)}` once: it moves every key " +
              "to its slot's partition, keeping values, expiry and versions, and can be run again if interrupted."
            : $"The data in {StoreGuard.Describe(settings)} records placement '{placement}', which this version does not know.";

    private static string RepartitionArguments(DistCacheSettings settings) =>
        settings.Journal == JournalKind.Sqlite
            ? $"--data {settings.DataDir}"
            : "--journal postgres --connection-string \"…\"";
}
