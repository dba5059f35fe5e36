using System.CommandLine;
using DistCache.Client;

namespace DistCache.Host.Cli;

/// <summary>The options every client subcommand shares: where the cluster is and how long to wait.</summary>
public static class ConnectionOptions
{
    public static Option<string[]> Contacts() => new("--contact")
    {
        Description = "A node to contact as host:port (repeatable).",
        DefaultValueFactory = _ => ["127.0.0.1:4053"],
    };

    public static Option<double> Timeout() => new("--timeout")
    {
        Description = "Seconds to wait for a reply.",
        DefaultValueFactory = _ => 5,
    };

    public static DistCacheClient Connect(ParseResult result, Option<string[]> contacts, Option<double> timeout, string? contactOverride = null)
    {
        var seconds = result.GetValue(timeout);
        if (seconds <= 0)
            throw new ArgumentException("--timeout must be a positive number of seconds");
        return new DistCacheClient(new DistCacheClientOptions
        {
            ContactPoints = contactOverride is not null ? [contactOverride]
                : result.GetValue(contacts) is { Length: > 0 } points ? points : ["127.0.0.1:4053"],
            RequestTimeout = TimeSpan.FromSeconds(seconds),
        });
    }
}
