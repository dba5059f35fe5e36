using Microsoft.Extensions.Caching.Memory;

namespace DistCache.Client.Hybrid;

/// <summary>The application's services as HybridCache's constructor sees them, but for its first level: Microsoft's
/// DefaultHybridCache takes its IMemoryCache from the IServiceProvider it is given, once, in its constructor.</summary>
internal sealed class L1ServiceProvider(IServiceProvider services, CoherentMemoryCache firstLevel) : IServiceProvider
{
    public object? GetService(Type serviceType) => serviceType == typeof(IMemoryCache) ? firstLevel : services.GetService(serviceType);
}
