using System.Diagnostics;
using DistCache.Telemetry;

namespace DistCache.Actors.Monitoring;

/// <summary>A node's spans: the gateway routing a traced request, the partition serving it, the partition's
/// journal write. Callers check <see cref="IsListening"/> before anything else, so with no listener the
/// request path does no more than that check. A span here outlives the message that started it (a partition
/// answers a write after its journal write, in another message), so Activity.Current, a thread's ambient span,
/// is left as it was: a partition run inline on the gateway's thread must not find the gateway's span there.</summary>
public static class NodeTelemetry
{
    public static readonly ActivitySource Source = new(DistCacheTelemetry.NodeSource, typeof(NodeTelemetry).Assembly.GetName().Version?.ToString());

    public static bool IsListening => Source.HasListeners();

    /// <summary>The gateway's span for a keyed request carrying <paramref name="traceParent"/>; null when not sampled.</summary>
    public static Activity? StartGateway(string traceParent, string operation, int partition, string node)
    {
        if (!TraceParent.TryParse(traceParent, out var parent))
            return null;
        var span = StartDetached(DistCacheTelemetry.GatewaySpan, ActivityKind.Server, parent);
        span?.SetTag(DistCacheTelemetry.OperationAttribute, operation)
            .SetTag(DistCacheTelemetry.PartitionAttribute, partition)
            .SetTag(DistCacheTelemetry.NodeAttribute, node);
        return span;
    }

    /// <summary>The partition's span for a request carrying <paramref name="traceParent"/>; null when not sampled.</summary>
    public static Activity? StartPartition(string traceParent, string operation, int partition, string node)
    {
        if (!TraceParent.TryParse(traceParent, out var parent))
            return null;
        var span = StartDetached(DistCacheTelemetry.PartitionSpan, ActivityKind.Internal, parent);
        span?.SetTag(DistCacheTelemetry.OperationAttribute, operation)
            .SetTag(DistCacheTelemetry.PartitionAttribute, partition)
            .SetTag(DistCacheTelemetry.NodeAttribute, node);
        return span;
    }

    /// <summary>A journal write's span, a child of the first traced write it carries, linked to the other traced ones.</summary>
    public static Activity? StartJournal(ActivityContext parent, IEnumerable<ActivityLink>? links, int writes, int partition, string node)
    {
        var span = StartDetached(DistCacheTelemetry.JournalSpan, ActivityKind.Internal, parent, links);
        span?.SetTag(DistCacheTelemetry.WritesAttribute, writes)
            .SetTag(DistCacheTelemetry.PartitionAttribute, partition)
            .SetTag(DistCacheTelemetry.NodeAttribute, node);
        return span;
    }

    /// <summary>Ends <paramref name="span"/> (null: nothing), leaving the thread's ambient span as it was.</summary>
    public static void Stop(Activity? span)
    {
        if (span is null)
            return;
        var current = Activity.Current;
        span.Stop();
        Activity.Current = current;
    }

    private static Activity? StartDetached(string name, ActivityKind kind, ActivityContext parent, IEnumerable<ActivityLink>? links = null)
    {
        var current = Activity.Current;
        var span = Source.StartActivity(name, kind, parent, links: links);
        Activity.Current = current;
        return span;
    }
}
