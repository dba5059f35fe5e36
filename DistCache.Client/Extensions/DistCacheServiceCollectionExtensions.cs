using DistCache.Client.Extensions;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

// In the DI namespace, as ASP.NET Core's own AddXxx extensions are, so `services.AddDistCache()` needs no using.
namespace Microsoft.Extensions.DependencyInjection;

public static class DistCacheServiceCollectionExtensions
{
    /// <summary>The configuration section read by <see cref="AddDistCache(IServiceCollection, IConfiguration)"/>.</summary>
    public const string SectionName = "DistCache";

    /// <summary>Registers a singleton <see cref="DistCache.Client.DistCacheClient"/>, and DistCache as the
    /// application's <see cref="IDistributedCache"/> and <see cref="IBufferDistributedCache"/>.</summary>
    public static IServiceCollection AddDistCache(this IServiceCollection services, Action<DistCacheClientOptionsBuilder>? configure = null)
    {
        services.AddOptions<DistCacheClientOptionsBuilder>().Configure(o => configure?.Invoke(o));
        return AddCore(services);
    }

    /// <summary>As <see cref="AddDistCache(IServiceCollection, Action{DistCacheClientOptionsBuilder})"/>, with
    /// options bound from the <c>DistCache</c> section (<c>ContactPoints</c>, <c>RequestTimeout</c>, …).</summary>
    public static IServiceCollection AddDistCache(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName).Exists() ? configuration.GetSection(SectionName) : configuration;
        services.AddOptions<DistCacheClientOptionsBuilder>().Bind(section);
        return AddCore(services);
    }

    /// <summary>A health check that is unhealthy when the cluster does not answer.</summary>
    public static IHealthChecksBuilder AddDistCache(this IHealthChecksBuilder builder, string name = "distcache",
        HealthStatus failureStatus = HealthStatus.Unhealthy, IEnumerable<string>? tags = null) =>
        builder.Add(new HealthCheckRegistration(name, sp => new DistCacheHealthCheck(sp.GetRequiredService<DistCache.Client.DistCacheClient>()), failureStatus, tags));

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new DistCache.Client.DistCacheClient(sp.GetRequiredService<IOptions<DistCacheClientOptionsBuilder>>().Value.Build(
            sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()?.CreateLogger("DistCache.Client"))));
        services.TryAddSingleton<DistCacheDistributedCache>(sp => new DistCacheDistributedCache(
            sp.GetRequiredService<DistCache.Client.DistCacheClient>(), sp.GetService<TimeProvider>())
        {
            // Registered by AddDistCacheHybridCache: HybridCache's first level must know when its reads start.
            FillGuard = sp.GetService<DistCache.Client.Hybrid.L1FillGuard>(),
        });
        services.Replace(ServiceDescriptor.Singleton<IDistributedCache>(sp => sp.GetRequiredService<DistCacheDistributedCache>()));
        services.Replace(ServiceDescriptor.Singleton<IBufferDistributedCache>(sp => sp.GetRequiredService<DistCacheDistributedCache>()));
        return services;
    }
}
