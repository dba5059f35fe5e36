using System.Security.Cryptography;
using Akka.Configuration;

namespace DistCache.Actors.Cluster;

/// <summary>The Redis endpoint's password (Redis's <c>requirepass</c>, user <c>default</c>), kept only as
/// its SHA-256 and compared in constant time, as Redis (<c>time_independent_strcmp</c>) and Garnet
/// (<c>SecretsUtility</c>) do: the password itself is never held, so no log, error or dump can show it.</summary>
public sealed class RespPassword
{
    private readonly byte[] _hash;

    private RespPassword(byte[] hash) => _hash = hash;

    public static RespPassword Of(ReadOnlySpan<byte> password) => new(SHA256.HashData(password));

    /// <summary>A password given as its SHA-256 (an ACL file's <c>#&lt;hex&gt;</c>).</summary>
    public static RespPassword FromHash(ReadOnlySpan<byte> sha256) =>
        sha256.Length == SHA256.HashSizeInBytes ? new(sha256.ToArray()) : throw new ArgumentException("not a SHA-256 hash", nameof(sha256));

    /// <summary>Reads the password from <paramref name="path"/> (one trailing newline, LF or CRLF, is not
    /// part of it: `echo pw &gt; file` works). A missing, unreadable or empty file is a configuration error
    /// naming <paramref name="setting"/>.</summary>
    public static RespPassword FromFile(string path, string setting)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var why = ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : "cannot be read (" + ex.GetType().Name + ")";
            throw new ConfigurationException($"{setting} = '{path}': {why}");
        }
        try
        {
            var length = bytes.Length;
            if (length > 0 && bytes[length - 1] == '\n')
                length--;
            if (length > 0 && bytes[length - 1] == '\r')
                length--;
            if (length == 0)
                throw new ConfigurationException($"{setting} = '{path}': the file is empty (it must hold the password)");
            return Of(bytes.AsSpan(0, length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public bool Matches(ReadOnlySpan<byte> candidate)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(candidate, hash);
        return MatchesHash(hash);
    }

    /// <summary>Compares a candidate already hashed (a user with several passwords hashes the attempt once).</summary>
    public bool MatchesHash(ReadOnlySpan<byte> candidateSha256) => CryptographicOperations.FixedTimeEquals(candidateSha256, _hash);

    // Settings are records and print their members; this one prints nothing that helps a guess.
    public override string ToString() => "(hidden)";
}
