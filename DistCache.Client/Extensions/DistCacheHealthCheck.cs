using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DistCache.Client.Extensions;

/// <summary>Healthy when the cluster answers a read within the check's time limit.</summary>
public sealed class DistCacheHealthCheck(DistCacheClient client) : IHealthCheck
{
    private const string ProbeKey = "__distcache:health";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.ExistsAsync(ProbeKey).WaitAsync(Limit, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("DistCache answered");
        }
        catch (Exception ex) when (ex is DistCacheException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "DistCache did not answer: " + ex.Message, ex);
        }
    }
}
