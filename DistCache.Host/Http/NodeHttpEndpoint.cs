using DistCache.Actors.Cluster;
using DistCache.Actors.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace DistCache.Host.Http;

/// <summary>The node's HTTP port (--http-port): liveness, readiness and Prometheus metrics.</summary>
public static class NodeHttpEndpoint
{
    // Named once: deploy/'s probes are checked against these (DeployManifestTests).
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    public static async Task<WebApplication> StartAsync(DistCacheNode node, string host, int port)
    {
        // The content root is watched for configuration changes, every file below it included: left at the
        // working directory (which holds ./data), every journal write woke the watcher, about 7 % of the
        // node's CPU under a write load (dotnet-trace). The build output does not change.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (node.Settings.Tls.OnHttp)
            NodeHttps.Listen(builder.WebHost, host, port, node.Settings.Tls);
        else
            builder.WebHost.UseUrls($"http://{host}:{port}");
        var app = builder.Build();
        TokenGate.UseOn(app, node.Settings.Http);

        app.MapGet(LivePath, () => node.System.WhenTerminated.IsCompleted
            ? Results.Text("stopped", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("live"));
        app.MapGet(ReadyPath, async () =>
        {
            var (ready, why) = await Readiness.CheckAsync(node);
            return Results.Text(why, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet(MetricsPath, async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await node.Metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });

        await app.StartAsync();
        return app;
    }
}
