using System.CommandLine;

namespace DistCache.Host.Cli;

/// <summary>The command line: `DistCache.Host` with no subcommand serves; the other subcommands are a
/// redis-cli-like client. Built here rather than in Program so tests can run a client subcommand in process.</summary>
public static class CliApp
{
    public static RootCommand Create()
    {
        var root = new RootCommand("DistCache: a distributed in-memory cache and key-value store on Akka.NET.");
        ServeCommand.AddOptionsTo(root);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(FillCommand.Create());
        root.Subcommands.Add(AwaitKeysCommand.Create());
        root.Subcommands.Add(NearCacheWorkloadCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(Bench.BenchCommand.Create());
        root.Subcommands.Add(Bench.InvalidationBenchCommand.Create());
        foreach (var command in ClientCommands.Create())
            root.Subcommands.Add(command);
        root.Subcommands.Add(RepartitionCommand.Create());
        root.Subcommands.Add(BatchCommand.Create(root));
        return root;
    }
}
