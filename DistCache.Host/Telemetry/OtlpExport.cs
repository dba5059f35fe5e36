using Akka.Configuration;
using DistCache.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DistCache.Host.Telemetry;

/// <summary>`serve`'s OpenTelemetry export: on when one of the standard OTLP endpoint variables is set
/// (OTEL_EXPORTER_OTLP_ENDPOINT, or the _TRACES_/_METRICS_ ones), off otherwise, and then no listener exists, so the
/// node's spans and instruments cost a flag check. The OTLP exporter reads the rest of the standard settings
/// itself (OTEL_EXPORTER_OTLP_PROTOCOL, _HEADERS, _TIMEOUT, OTEL_METRIC_EXPORT_INTERVAL …), the resource
/// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES; OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER /
/// OTEL_METRICS_EXPORTER = none switch a part off as the specification says.</summary>
public sealed class OtlpExport : IDisposable
{
    private const string ServiceName = "distcache";

    private static readonly string[] EndpointVariables =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    private readonly TracerProvider? _traces;
    private readonly MeterProvider? _metrics;

    private OtlpExport(TracerProvider? traces, MeterProvider? metrics) => (_traces, _metrics) = (traces, metrics);

    /// <summary>What is exported, for the start-up line; null when off.</summary>
    public string? Description { get; private init; }

    /// <summary>Starts the export the environment asks for (an instance that exports nothing when none is set).
    /// A malformed endpoint stops the host: <see cref="ConfigurationException"/> naming the variable.</summary>
    public static OtlpExport FromEnvironment(Func<string, string?>? environment = null)
    {
        var get = environment ?? Environment.GetEnvironmentVariable;
        foreach (var name in EndpointVariables)
        {
            if (get(name) is { Length: > 0 } value && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
                throw new ConfigurationException($"{name} '{value}' is not an http(s) URL (e.g. http://127.0.0.1:4317)");
        }
        if (!EndpointVariables.Any(n => get(n) is { Length: > 0 }) || IsTrue(get("OTEL_SDK_DISABLED")))
            return new OtlpExport(null, null);

        var tracesOn = !IsNone(get("OTEL_TRACES_EXPORTER"));
        var metricsOn = !IsNone(get("OTEL_METRICS_EXPORTER"));
        // The service name defaults to distcache; OTEL_SERVICE_NAME, read by the default resource, wins.
        var resource = ResourceBuilder.CreateDefault().AddService(get("OTEL_SERVICE_NAME") is { Length: > 0 } service ? service : ServiceName);
        var traces = tracesOn
            ? Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(DistCacheTelemetry.NodeSource).AddOtlpExporter().Build()
            : null;
        var metrics = metricsOn
            ? Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(DistCacheTelemetry.NodeSource).AddOtlpExporter().Build()
            : null;
        return new OtlpExport(traces, metrics)
        {
            Description = $"OpenTelemetry export (OTLP): {(tracesOn ? "traces" : "")}{(tracesOn && metricsOn ? " and " : "")}{(metricsOn ? "metrics" : "")}" +
                $" to {EndpointVariables.Select(get).First(v => v is { Length: > 0 })}",
        };
    }

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsNone(string? value) => string.Equals(value?.Trim(), "none", StringComparison.OrdinalIgnoreCase);

    /// <summary>Flushes what is buffered and stops exporting.</summary>
    public void Dispose()
    {
        _traces?.Dispose();
        _metrics?.Dispose();
    }
}
