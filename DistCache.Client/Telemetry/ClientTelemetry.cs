using System.Diagnostics;
using System.Diagnostics.Metrics;
using DistCache.Protocol;

namespace DistCache.Telemetry;

/// <summary>The client's span and duration histogram around one request. Only entered when something listens
/// (<see cref="IsObserved"/>): otherwise a request carries no trace context and records nothing.</summary>
internal static class ClientTelemetry
{
    public static readonly ActivitySource Source = new(DistCacheTelemetry.ClientSource, typeof(ClientTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Meter Meter = new(DistCacheTelemetry.ClientSource, typeof(ClientTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>("distcache.client.request.duration", "s",
        "Time from a client call to its reply (or its failure), by operation.");

    public static bool IsObserved => Source.HasListeners() || RequestDuration.Enabled;

    /// <summary>Runs <paramref name="send"/> inside a client span whose context (or the caller's, when this
    /// source is not sampled) travels with the request as its traceparent.</summary>
    public static async Task<ICacheReply> ObserveAsync(IClientCommand command, Guid requestId,
        Func<IClientCommand, Guid, string?, Task<ICacheReply>> send)
    {
        var operation = command.GetType().Name;
        var started = Stopwatch.GetTimestamp();
        // Inside an async method: Activity.Current goes back to the caller's when this returns.
        using var span = Source.StartActivity(DistCacheTelemetry.ClientRequestSpan, ActivityKind.Client);
        span?.SetTag(DistCacheTelemetry.OperationAttribute, operation);
        span?.SetTag("db.system.name", "distcache");
        try
        {
            var reply = await send(command, requestId, TraceParent.Of(Activity.Current)).ConfigureAwait(false);
            if (reply is Rejected rejected)
                span?.SetStatus(ActivityStatusCode.Error, rejected.Code.ToString());
            return reply;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            span?.AddException(ex);
            throw;
        }
        finally
        {
            if (RequestDuration.Enabled)
                RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>(DistCacheTelemetry.OperationAttribute, operation));
        }
    }
}
