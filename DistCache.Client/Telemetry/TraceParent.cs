using System.Diagnostics;

namespace DistCache.Telemetry;

/// <summary>A span's context as the W3C <c>traceparent</c> text a traced request carries across the Akka.NET hop
/// (in a <see cref="DistCache.Protocol.TracedRequest"/>).</summary>
public static class TraceParent
{
    /// <summary>The traceparent of <paramref name="span"/>, or null when there is none or its id is not W3C.</summary>
    public static string? Of(Activity? span) => span is { IdFormat: ActivityIdFormat.W3C } ? span.Id : null;

    /// <summary>The remote parent a traceparent names; false for null or malformed text (the span then starts a trace).</summary>
    public static bool TryParse(string? traceParent, out ActivityContext context)
    {
        if (traceParent is null)
        {
            context = default;
            return false;
        }
        return ActivityContext.TryParse(traceParent, null, isRemote: true, out context);
    }
}
