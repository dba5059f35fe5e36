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

    public static ClientTlsOptions Tls() => new();

    /// <summary><paramref name="contactOverride"/>: a throwaway node of `bench --durability`, which runs without TLS.</summary>
    public static DistCacheClient Connect(ParseResult result, Option<string[]> contacts, Option<double> timeout, ClientTlsOptions tls, string? contactOverride = null,
        Func<DistCacheClientOptions, DistCacheClientOptions>? adjust = null)
    {
        var seconds = result.GetValue(timeout);
        if (seconds <= 0)
            throw new ArgumentException("--timeout must be a positive number of seconds");
        var options = new DistCacheClientOptions
        {
            ContactPoints = contactOverride is not null ? [contactOverride]
                : result.GetValue(contacts) is { Length: > 0 } points ? points : ["127.0.0.1:4053"],
            RequestTimeout = TimeSpan.FromSeconds(seconds),
            Tls = contactOverride is null ? tls.From(result) : null,
        };
        try
        {
            return new DistCacheClient(adjust is null ? options : adjust(options));
        }
        catch (Akka.Configuration.ConfigurationException ex)
        {
            // A certificate file that cannot be used: the message names the flag's setting and the file.
            throw new ArgumentException(ex.Message.Replace("DistCache:Tls:CertificatePath", "--tls-cert").Replace("DistCache:Tls:KeyPath", "--tls-key")
                .Replace("DistCache:Tls:PasswordFile", "--tls-password-file").Replace("DistCache:Tls:CaPath", "--tls-ca"), ex);
        }
    }
}
