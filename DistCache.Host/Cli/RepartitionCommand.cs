using System.CommandLine;
using System.Diagnostics;
using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Actors.Repartition;

namespace DistCache.Host.Cli;

/// <summary>`repartition`: moves a store written before slots (FNV-1a placement) to slot placement, once,
/// with every node stopped. Resumable: run it again after an interruption.</summary>
public static class RepartitionCommand
{
    public static Command Create()
    {
        var command = new Command("repartition",
            "Move the keys of a store written before slot placement to their slots' partitions (every node stopped; run again if interrupted).");
        var data = new Option<string?>("--data") { Description = "Folder of the SQLite store (default ./data)." };
        var config = new Option<string?>("--config") { Description = "The HOCON file the nodes use, if any." };
        var journal = new Option<string?>("--journal") { Description = "sqlite (default) or postgres." };
        var connection = new Option<string?>("--connection-string") { Description = "ADO.NET connection string of the store database." };
        foreach (var option in new Option[] { data, config, journal, connection })
            command.Options.Add(option);
        command.SetAction(async (result, cancellation) =>
        {
            var output = result.InvocationConfiguration.Output;
            var options = new NodeOptions
            {
                DataDir = result.GetValue(data),
                ConfigFile = result.GetValue(config),
                Journal = result.GetValue(journal),
                ConnectionString = result.GetValue(connection),
            };
            var clock = Stopwatch.StartNew();
            try
            {
                var keys = await StoreRepartitioner.RunAsync(options, line => output.WriteLine($"repartition: {line}"), cancellation);
                output.WriteLine(keys is null
                    ? "repartition: the store is already placed by slot; nothing to do."
                    : $"repartition: done: {keys:N0} keys placed by slot in {clock.Elapsed.TotalSeconds:F1} s. Nodes can start on the store again.");
                return 0;
            }
            catch (ConfigurationException ex)
            {
                result.InvocationConfiguration.Error.WriteLine($"distcache: {ex.Message}");
                return 2;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                result.InvocationConfiguration.Error.WriteLine($"distcache: repartition stopped: {ex.Message} Nothing is lost; run the command again to resume.");
                return 1;
            }
        });
        return command;
    }
}
