namespace DistCache.Client.NearCache;

/// <summary>The client's near cache: values of plain keys read with <c>GetAsync</c> kept in the process, dropped
/// when the cluster says their key changed. <see cref="MaxStaleness"/> is the bound: a read served from it never
/// returns a value that a write acknowledged more than that long before the read had replaced.</summary>
public sealed record NearCacheOptions
{
    /// <summary>Entries kept at most; past it, some are dropped to make room.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>How far behind the cluster a value served from the near cache may be. While the client cannot show
    /// that every invalidation older than this has reached it (no node answers, a node is silent, a message was
    /// lost), it reads from the cluster instead and drops what it holds.</summary>
    public TimeSpan MaxStaleness { get; init; } = TimeSpan.FromSeconds(1);
}
