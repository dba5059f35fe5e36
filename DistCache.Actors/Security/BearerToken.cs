using System.Security.Cryptography;
using System.Text;
using Akka.Configuration;

namespace DistCache.Actors.Security;

/// <summary>The secret an HTTP caller must present as <c>Authorization: Bearer &lt;token&gt;</c>. Only its
/// SHA-256 is kept: a memory dump does not give the token away, and comparing two fixed-length hashes
/// with <see cref="CryptographicOperations.FixedTimeEquals"/> takes the same time whatever the caller
/// sent, so neither the token's bytes nor its length can be found by timing the answers.</summary>
public sealed class BearerToken
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _hash;

    public BearerToken(string token)
    {
        if (string.IsNullOrEmpty(token))
            throw new ArgumentException("A bearer token must not be empty", nameof(token));
        _hash = Hash(token);
    }

    /// <summary>Reads the token from a file (secrets are never arguments: <c>/proc/*/cmdline</c> shows those).
    /// Surrounding whitespace is dropped, as Prometheus does with its <c>credentials_file</c>, so the file
    /// both sides read may end with a newline. <paramref name="setting"/> names the setting in errors.</summary>
    public static BearerToken FromFile(string path, string setting) => new(ReadFile(path, setting));

    /// <summary>The token in the file, as <see cref="FromFile"/> reads it.</summary>
    public static string ReadFile(string path, string setting)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException($"{setting} = '{path}' cannot be read: {ex.Message}");
        }
        var token = text.Trim();
        return token.Length > 0
            ? token
            : throw new ConfigurationException($"{setting} = '{path}' is empty; it must hold the token");
    }

    /// <summary>True when the header is <c>Bearer</c> (any case, RFC 7235) followed by the token.</summary>
    public bool Verify(string? authorizationHeader)
    {
        if (authorizationHeader is null
            || authorizationHeader.Length <= Scheme.Length
            || !authorizationHeader.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        var presented = authorizationHeader.AsSpan(Scheme.Length).Trim();
        return CryptographicOperations.FixedTimeEquals(Hash(presented), _hash);
    }

    public override string ToString() => "BearerToken(****)";

    private static byte[] Hash(ReadOnlySpan<char> token)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(token)];
        Encoding.UTF8.GetBytes(token, bytes);
        try
        {
            return SHA256.HashData(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
