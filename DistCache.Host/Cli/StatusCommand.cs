using System.CommandLine;
using System.Text.Json;
using DistCache.Protocol;
using DistCache.Client;
using Spectre.Console;

namespace DistCache.Host.Cli;

/// <summary>`status`: the cluster's nodes and connected clients as tables (or JSON), once or refreshed.</summary>
public static class StatusCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("status", "Show the nodes (address, status, reachable, partitions, keys, bytes, ops/s) and the connected clients.");
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var watch = new Option<bool>("--watch") { Description = "Refresh every 2 seconds until Ctrl+C." };
        var contacts = ConnectionOptions.Contacts();
        var timeout = ConnectionOptions.Timeout();
        var tls = ConnectionOptions.Tls();
        tls.AddTo(command);
        foreach (var option in new Option[] { json, watch, contacts, timeout })
            command.Options.Add(option);

        command.SetAction(async (result, cancellation) =>
        {
            try
            {
                await using var client = ConnectionOptions.Connect(result, contacts, timeout, tls);
                do
                {
                    var status = await client.StatusAsync();
                    if (result.GetValue(watch))
                        AnsiConsole.Clear();
                    if (result.GetValue(json))
                        await Console.Out.WriteLineAsync(JsonSerializer.Serialize(status, Indented));
                    else
                        Render(status);
                    if (!result.GetValue(watch))
                        break;
                    await Task.Delay(TimeSpan.FromSeconds(2), cancellation);
                }
                while (!cancellation.IsCancellationRequested);
                return 0;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            catch (DistCacheException ex)
            {
                await Console.Error.WriteLineAsync($"(error) {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Render(ClusterStatus status)
    {
        var nodes = new Table().Title("Nodes");
        foreach (var column in new[] { "Address", "Status", "Reachable", "Partitions", "Keys", "Bytes", "Ops/s" })
            nodes.AddColumn(column);
        foreach (var n in status.Nodes)
        {
            nodes.AddRow(n.Address, n.Status, n.Reachable ? "yes" : "[red]no[/]",
                n.Answered ? n.Partitions.ToString() : "?", n.Answered ? n.Keys.ToString() : "?",
                n.Answered ? n.Bytes.ToString() : "?", n.Answered ? n.OperationsPerSecond.ToString("0") : "?");
        }
        AnsiConsole.Write(nodes);
        AnsiConsole.MarkupLine($"Shards: {(status.Balanced ? "" : "[yellow]")}{Markup.Escape(status.Balance)}{(status.Balanced ? "" : "[/]")}");

        var clients = new Table().Title("Clients");
        foreach (var column in new[] { "Client", "Address", "Last seen", "State" })
            clients.AddColumn(column);
        foreach (var c in status.Clients)
        {
            var seen = DateTimeOffset.FromUnixTimeMilliseconds(c.LastSeenUnixMs);
            clients.AddRow(c.Id, Markup.Escape(c.Address), $"{(DateTimeOffset.UtcNow - seen).TotalSeconds:0} s ago",
                c.Silent ? "[yellow]silent[/]" : "connected");
        }
        AnsiConsole.Write(clients);
    }
}
