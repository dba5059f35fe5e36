using System.CommandLine;
using DistCache.Host.Cli;

// `DistCache.Host` with no subcommand serves; the other subcommands are a redis-cli-like client.
var root = new RootCommand("DistCache: a distributed in-memory cache and key-value store on Akka.NET.");
ServeCommand.AddOptionsTo(root);
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(FillCommand.Create());
root.Subcommands.Add(AwaitKeysCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(DistCache.Host.Bench.BenchCommand.Create());
foreach (var command in ClientCommands.Create())
    root.Subcommands.Add(command);

return await root.Parse(args).InvokeAsync();
