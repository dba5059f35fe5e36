using DistCache.Client.Hybrid;
using DistCache.Client.NearCache;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>HybridCache over DistCache with a first level that stays coherent across application instances.</summary>
public static class DistCacheHybridCacheExtensions
{
    /// <summary>Registers DistCache (as <see cref="DistCacheServiceCollectionExtensions.AddDistCache(IServiceCollection, Action{DistCacheClientOptionsBuilder})"/>,
    /// with the near cache on) as HybridCache's second level, and Microsoft's HybridCache with a first level that
    /// drops a key's entry when the key changes anywhere in the cluster, and serves nothing while the near cache cannot
    /// prove it is current (see <see cref="NearCacheOptions.MaxStaleness"/>).</summary>
    public static IHybridCacheBuilder AddDistCacheHybridCache(this IServiceCollection services,
        Action<DistCacheClientOptionsBuilder>? configure = null, Action<HybridCacheOptions>? configureHybridCache = null)
    {
        services.AddDistCache(configure);
        return AddCoherentHybridCache(services, configureHybridCache);
    }

    /// <summary>As <see cref="AddDistCacheHybridCache(IServiceCollection, Action{DistCacheClientOptionsBuilder}, Action{HybridCacheOptions})"/>,
    /// with DistCache's options bound from the <c>DistCache</c> section (<c>NearCache:MaxStaleness</c> among them).</summary>
    public static IHybridCacheBuilder AddDistCacheHybridCache(this IServiceCollection services, IConfiguration configuration,
        Action<HybridCacheOptions>? configureHybridCache = null)
    {
        services.AddDistCache(configuration);
        return AddCoherentHybridCache(services, configureHybridCache);
    }

    private static IHybridCacheBuilder AddCoherentHybridCache(IServiceCollection services, Action<HybridCacheOptions>? configureHybridCache)
    {
        // The near cache's invalidations and its proof of being current are what keep the first level coherent.
        services.PostConfigure<DistCacheClientOptionsBuilder>(o => o.NearCache ??= new NearCacheOptions());
        var builder = configureHybridCache is null ? services.AddHybridCache() : services.AddHybridCache(configureHybridCache);

        // AddHybridCache registers Microsoft's DefaultHybridCache by type (TryAdd: an earlier registration wins).
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(HybridCache) && !d.IsKeyedService);
        if (registered?.ImplementationType is not { } implementation)
            throw new InvalidOperationException("AddDistCacheHybridCache needs HybridCache to be Microsoft's own, registered by AddHybridCache; " +
                "another HybridCache is registered already.");

        services.TryAddSingleton<L1FillGuard>();
        services.TryAddSingleton(sp => new CoherentMemoryCache(
            new MemoryCache(sp.GetRequiredService<IOptions<MemoryCacheOptions>>()),
            sp.GetRequiredService<DistCache.Client.DistCacheClient>().Near
                ?? throw new InvalidOperationException("AddDistCacheHybridCache needs the DistCache client's near cache (DistCacheClientOptions.NearCache)."),
            sp.GetRequiredService<L1FillGuard>()));
        // DefaultHybridCache takes its IMemoryCache from the IServiceProvider passed to its constructor.
        services.Replace(ServiceDescriptor.Singleton<HybridCache>(sp => Create(sp, implementation)));
        return builder;
    }

    private static HybridCache Create(IServiceProvider services, Type implementation)
    {
        var firstLevel = services.GetRequiredService<CoherentMemoryCache>();
        var cache = (HybridCache)ActivatorUtilities.CreateInstance(services, implementation, new L1ServiceProvider(services, firstLevel));
        firstLevel.Tags = TagInvalidationRelay.TryBind(cache);
        if (firstLevel.Tags is null)
            services.GetService<ILoggerFactory>()?.CreateLogger("DistCache.Client").LogWarning(
                "DistCache: this HybridCache ({Type}) does not keep tag invalidation times where DistCache expects; " +
                "RemoveByTagAsync does not reach instances that have read the tag before", implementation);
        return cache;
    }
}
