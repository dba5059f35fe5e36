using System.Data.Common;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Actors.Fencing;
using DistCache.Actors.Journal;
using DistCache.Actors.Monitoring;
using DistCache.Actors.Partitions;
using DistCache.Wire;

namespace DistCache.Actors.Repartition;

/// <summary>Moves a store made before slots to slot placement, offline (every node stopped), in two phases
/// whose progress is recorded in distcache_meta, so a run that is interrupted can simply be run again:
/// <list type="number">
/// <item>Stage: read every old partition, re-bucket the keys (<see cref="Rebucketing"/>) and save each new
/// partition's contents as a snapshot under a staging id. The old partitions are untouched; an interrupted
/// stage is redone from the start. Then mark the stage done.</item>
/// <item>Install: for each partition in order, replace its contents by the staged ones (a snapshot at its
/// last sequence number, then the covered events are deleted) and record how many are installed; a rerun
/// continues after the last one recorded (installing one again is harmless).</item>
/// </list>
/// Last, the placement is recorded (from then on nodes start on the store) and the staging rows go.</summary>
public static class StoreRepartitioner
{
    public const string StagedMark = "repartition-staged";
    public const string InstalledMark = "repartition-installed";
    private const string StagingPrefix = "repartition-";

    public static string StagingId(int partition) => StagingPrefix + partition.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs (or resumes) the repartition of the store <paramref name="options"/> name; returns the
    /// number of keys moved, or null when the store was already placed by slot.</summary>
    public static async Task<long?> RunAsync(NodeOptions options, Action<string> report, CancellationToken cancellation = default)
    {
        var (_, probe) = NodeConfigBuilder.Build(options);
        int partitions;
        using (var connection = StoreGuard.Open(probe))
        {
            if (!HasMeta(connection))
                throw new ConfigurationException($"{StoreGuard.Describe(probe)} holds no DistCache store (no distcache_meta table): nothing to repartition.");
            if (StoreGuard.Read(connection, StorePlacement.Name) == StorePlacement.Slots)
            {
                RemoveStaging(connection);
                return null;
            }
            EnsureNoLiveNode(connection, probe);
            partitions = int.Parse(StoreGuard.Read(connection, "partitions"), CultureInfo.InvariantCulture);
        }

        var (config, settings) = NodeConfigBuilder.Build(options with { Partitions = partitions });
        // Only the persistence plugins: no cluster, no remoting, nothing listening.
        config = ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING").WithFallback(config);
        var system = ActorSystem.Create(NodeConfigBuilder.SystemName + "-repartition",
            WireConfig.Setup(config, SqliteJournalConnections.SetupFor(settings), new JournalMetricsSetup(new NodeMetrics())));
        try
        {
            using var connection = StoreGuard.Open(settings);
            long keys = 0;
            if (StoreGuard.Read(connection, StagedMark) != partitions.ToString(CultureInfo.InvariantCulture))
            {
                var old = new PartitionSnapshot[partitions];
                for (var p = 0; p < partitions; p++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    old[p] = (await OpenAsync(system, PartitionActor.PersistenceIdFor(p.ToString(CultureInfo.InvariantCulture)))).Recovered.Contents;
                    keys += old[p].Entries.Count;
                    Progress(report, "read", p + 1, partitions, keys);
                }
                var staged = Rebucketing.Rebucket(old, partitions);
                for (var p = 0; p < partitions; p++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    await ReplaceAsync(system, StagingId(p), staged[p]);
                    Progress(report, "staged", p + 1, partitions, null);
                }
                Set(connection, StagedMark, partitions);
            }
            var installed = int.TryParse(StoreGuard.Read(connection, InstalledMark), CultureInfo.InvariantCulture, out var done) ? done : 0;
            keys = 0;
            for (var p = 0; p < partitions; p++)
            {
                cancellation.ThrowIfCancellationRequested();
                var contents = (await OpenAsync(system, StagingId(p), stop: true)).Recovered.Contents;
                keys += contents.Entries.Count;
                if (p < installed)
                    continue;
                await ReplaceAsync(system, PartitionActor.PersistenceIdFor(p.ToString(CultureInfo.InvariantCulture)), contents);
                Set(connection, InstalledMark, p + 1);
                Progress(report, "installed", p + 1, partitions, keys);
            }
            Set(connection, StorePlacement.Name, StorePlacement.Slots);
            RemoveStaging(connection);
            return keys;
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static void Progress(Action<string> report, string phase, int done, int of, long? keys)
    {
        if (done == of || done % Math.Max(1, of / 16) == 0)
            report(keys is null ? $"{phase} {done}/{of} partitions" : $"{phase} {done}/{of} partitions, {keys:N0} keys");
    }

    private static async Task<(IActorRef Actor, StoredPartitionRecovered Recovered)> OpenAsync(ActorSystem system, string persistenceId, bool stop = true)
    {
        var recovered = new TaskCompletionSource<StoredPartitionRecovered>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.ActorOf(StoredPartitionActor.Props(persistenceId, recovered));
        var result = await recovered.Task.WaitAsync(TimeSpan.FromMinutes(5));
        if (stop)
            await actor.GracefulStop(TimeSpan.FromSeconds(30));
        return (actor, result);
    }

    private static async Task ReplaceAsync(ActorSystem system, string persistenceId, PartitionSnapshot contents)
    {
        var (actor, _) = await OpenAsync(system, persistenceId, stop: false);
        var installed = await actor.Ask<ContentsInstalled>(new InstallContents(contents), TimeSpan.FromMinutes(5));
        if (installed.Failure is not null)
            throw new InvalidOperationException($"{persistenceId}: could not store its new contents ({installed.Failure.Message}); run the command again", installed.Failure);
    }

    private static bool HasMeta(DbConnection connection)
    {
        try
        {
            StoreGuard.Read(connection, "partitions");
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    // A node serving the store would write to the partitions being replaced: every node must be stopped.
    private static void EnsureNoLiveNode(DbConnection connection, DistCacheSettings settings)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT address FROM distcache_nodes WHERE expires_ms > {FenceSql.For(settings.Journal).Now}";
        try
        {
            using var rows = command.ExecuteReader();
            if (rows.Read())
                throw new ConfigurationException(
                    $"the node at {rows.GetString(0)} holds a lease on {StoreGuard.Describe(settings)}: stop every node using it first " +
                    "(a node killed without stopping holds it a few more seconds).");
        }
        catch (DbException)
        {
            // No lease table: no node of a fencing release ever ran on this store.
        }
    }

    private static void Set(DbConnection connection, string name, object value) =>
        StoreGuard.Execute(connection, $"INSERT INTO distcache_meta (name, value) VALUES ('{name}', '{value}') ON CONFLICT (name) DO UPDATE SET value = excluded.value");

    private static void RemoveStaging(DbConnection connection)
    {
        try
        {
            StoreGuard.Execute(connection, $"DELETE FROM snapshot WHERE persistence_id LIKE '{StagingPrefix}%'");
        }
        catch (DbException)
        {
            // No snapshot table: nothing was staged.
        }
        StoreGuard.Execute(connection, $"DELETE FROM distcache_meta WHERE name IN ('{StagedMark}', '{InstalledMark}')");
    }
}
