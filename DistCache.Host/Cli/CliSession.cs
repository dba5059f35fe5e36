using DistCache.Client;

namespace DistCache.Host.Cli;

/// <summary>The one connection a `batch` run gives every command it reads. A client subcommand uses it when
/// set and connects (and disconnects) on its own otherwise: connecting is most of a single command's time.</summary>
public static class CliSession
{
    private static readonly AsyncLocal<DistCacheClient?> Shared = new();

    public static DistCacheClient? Current => Shared.Value;

    public static IDisposable Use(DistCacheClient client)
    {
        var previous = Shared.Value;
        Shared.Value = client;
        return new Restore(previous);
    }

    private sealed class Restore(DistCacheClient? previous) : IDisposable
    {
        public void Dispose() => Shared.Value = previous;
    }
}
