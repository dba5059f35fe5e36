using DistCache.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The mutable shape of <see cref="DistCacheClientOptions"/> that configuration binding and
/// <c>AddDistCache(o => …)</c> fill in. Defaults are those of <see cref="DistCacheClientOptions"/>.</summary>
public sealed class DistCacheClientOptionsBuilder
{
    private static readonly DistCacheClientOptions Defaults = new();

    public List<string> ContactPoints { get; set; } = [];
    public TimeSpan RequestTimeout { get; set; } = Defaults.RequestTimeout;
    public TimeSpan RetryInterval { get; set; } = Defaults.RetryInterval;
    public string Hostname { get; set; } = Defaults.Hostname;
    public int MaxValueBytes { get; set; } = Defaults.MaxValueBytes;

    /// <summary>TLS to the cluster, bound from <c>DistCache:Tls</c> (<c>CertificatePath</c>, <c>KeyPath</c>,
    /// <c>PasswordFile</c>, <c>CaPath</c>); null: plain TCP.</summary>
    public DistCacheTlsOptions? Tls { get; set; }

    /// <summary>The near cache, bound from <c>DistCache:NearCache</c> (<c>MaxEntries</c>, <c>MaxStaleness</c>); null: off.
    /// AddDistCacheHybridCache turns it on.</summary>
    public DistCache.Client.NearCache.NearCacheOptions? NearCache { get; set; }

    public DistCacheClientOptions Build(Microsoft.Extensions.Logging.ILogger? logger = null) => new()
    {
        Logger = logger,
        ContactPoints = ContactPoints.Count > 0 ? ContactPoints.ToArray() : Defaults.ContactPoints,
        RequestTimeout = RequestTimeout,
        RetryInterval = RetryInterval,
        Hostname = Hostname,
        MaxValueBytes = MaxValueBytes,
        Tls = Tls,
        NearCache = NearCache,
    };
}
