using Akka.Configuration;
using DistCache.Host.Telemetry;

namespace DistCache.Tests.Telemetry;

public sealed class OtlpExportTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Without_an_endpoint_nothing_is_exported()
    {
        using var export = OtlpExport.FromEnvironment(Env());
        Assert.Null(export.Description);
    }

    [Fact]
    public void An_endpoint_switches_traces_and_metrics_on()
    {
        using var export = OtlpExport.FromEnvironment(Env(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")));
        Assert.Equal("OpenTelemetry export (OTLP): traces and metrics to http://127.0.0.1:4317", export.Description);
    }

    [Fact]
    public void Sdk_disabled_wins_over_an_endpoint()
    {
        using var export = OtlpExport.FromEnvironment(Env(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"), ("OTEL_SDK_DISABLED", "true")));
        Assert.Null(export.Description);
    }

    [Fact]
    public void A_malformed_endpoint_stops_the_host_naming_the_variable()
    {
        var error = Assert.Throws<ConfigurationException>(() => OtlpExport.FromEnvironment(Env(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "localhost:4317"))));
        Assert.Contains("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", error.Message);
    }
}
