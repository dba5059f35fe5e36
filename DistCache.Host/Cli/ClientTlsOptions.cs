using System.CommandLine;
using DistCache.Client;

namespace DistCache.Host.Cli;

/// <summary>--tls-cert, --tls-key, --tls-password-file, --tls-ca of the client subcommands: the same files
/// a node takes, for a cluster whose nodes run with TLS. The certificate must be issued by the cluster CA.</summary>
public sealed class ClientTlsOptions
{
    public Option<string?> Cert { get; } = new("--tls-cert") { Description = "Client certificate issued by the cluster CA, PEM or .pfx (turns TLS on)." };
    public Option<string?> Key { get; } = new("--tls-key") { Description = "The PEM private key of --tls-cert." };
    public Option<string?> PasswordFile { get; } = new("--tls-password-file") { Description = "A file holding the password of the key or .pfx." };
    public Option<string?> Ca { get; } = new("--tls-ca") { Description = "PEM bundle of the cluster CA the nodes' certificates must chain to." };

    public IEnumerable<Option> All => [Cert, Key, PasswordFile, Ca];

    public void AddTo(Command command)
    {
        foreach (var option in All)
            command.Options.Add(option);
    }

    /// <summary>Null without --tls-cert; the other flags alone are an error, as for `serve`.</summary>
    public DistCacheTlsOptions? From(ParseResult result)
    {
        var cert = result.GetValue(Cert);
        if (string.IsNullOrEmpty(cert))
        {
            if (new[] { result.GetValue(Key), result.GetValue(PasswordFile), result.GetValue(Ca) }.Any(v => !string.IsNullOrEmpty(v)))
                throw new ArgumentException("--tls-key, --tls-password-file and --tls-ca need --tls-cert: TLS needs the client's certificate");
            return null;
        }
        if (string.IsNullOrEmpty(result.GetValue(Ca)))
            throw new ArgumentException("--tls-ca is required with --tls-cert: the nodes are trusted only when they chain to the cluster CA");
        return new DistCacheTlsOptions
        {
            CertificatePath = cert,
            KeyPath = result.GetValue(Key),
            PasswordFile = result.GetValue(PasswordFile),
            CaPath = result.GetValue(Ca),
        };
    }
}
