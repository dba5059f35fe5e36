using System.CommandLine;
using DistCache.Client;

namespace DistCache.Host.Cli;

/// <summary>`batch`: runs client subcommands read one per line (stdin or a file) over one connection, as
/// `redis-cli &lt; script` does. Each prints what it prints alone; a failing line prints its error and the
/// rest still run; the exit code is 1 when any line failed. Connecting is most of a lone command's second.</summary>
public static class BatchCommand
{
    // Lines that would not be one client command: a node, another batch, or a connection of their own.
    private static readonly string[] NotInABatch = ["serve", "batch", "bench", "fill", "status", "await-keys", "repartition"];

    public static Command Create(RootCommand root)
    {
        var script = new Argument<FileInfo?>("script")
        {
            Description = "A file of commands, one per line (`set k v`, `lrange l 0 -1`…); stdin when left out.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var contacts = ConnectionOptions.Contacts();
        var timeout = ConnectionOptions.Timeout();
        var tls = ConnectionOptions.Tls();
        var command = new Command("batch", "Run client commands read one per line (stdin or SCRIPT) over one connection; # starts a comment.");
        command.Arguments.Add(script);
        tls.AddTo(command);
        command.Options.Add(contacts);
        command.Options.Add(timeout);
        command.SetAction(async (result, cancellation) =>
        {
            var output = result.InvocationConfiguration;
            DistCacheClient client;
            TextReader input;
            try
            {
                client = ConnectionOptions.Connect(result, contacts, timeout, tls);
                input = result.GetValue(script) is { } file ? file.OpenText() : Console.In;
            }
            catch (Exception ex) when (ex is DistCacheException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                await output.Error.WriteLineAsync($"(error) {ex.Message}");
                return 1;
            }
            await using (client)
            using (input)
            using (CliSession.Use(client))
            {
                var failed = false;
                var number = 0;
                while (await input.ReadLineAsync(cancellation) is { } line)
                {
                    number++;
                    if (!await RunLineAsync(root, line, number, output))
                        failed = true;
                }
                return failed ? 1 : 0;
            }
        });
        return command;
    }

    private static async Task<bool> RunLineAsync(RootCommand root, string line, int number, InvocationConfiguration output)
    {
        if (line.TrimStart() is "" or ['#', ..])
            return true;
        string? refusal;
        IReadOnlyList<string> args = [];
        try
        {
            args = BatchLine.Split(line);
            refusal = Refusal(args);
        }
        catch (ArgumentException ex)
        {
            refusal = ex.Message;
        }
        var parsed = refusal is null ? root.Parse(args) : null;
        if (parsed is { Errors.Count: > 0 })
            refusal = string.Join(" ", parsed.Errors.Select(e => e.Message));
        if (refusal is not null)
        {
            await output.Error.WriteLineAsync($"(error) line {number}: {refusal}");
            return false;
        }
        return await parsed!.InvokeAsync(output) == 0;
    }

    private static string? Refusal(IReadOnlyList<string> args)
    {
        if (args[0].StartsWith('-') || NotInABatch.Contains(args[0]))
            return $"'{args[0]}' is not a client command; a batch runs commands such as set, get, hset, lrange";
        if (args.FirstOrDefault(a => a is "--contact" or "--timeout" || a.StartsWith("--tls-", StringComparison.Ordinal)) is { } option)
            return $"{option} belongs to the batch command, whose one connection every line uses";
        return null;
    }
}
