using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Event;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Akka.Management.Cluster.Bootstrap.Internal;
using Akka.Management.Dsl;
using DistCache.Actors.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;

namespace DistCache.Actors.Cluster.Discovery;

/// <summary>The management endpoint Cluster Bootstrap's probes read: GET /bootstrap/seed-nodes, answered as
/// Akka.Management's own route answers it, and nothing else (404; other methods 405). It is behind the HTTP port's
/// protections: the bearer token of <c>distcache.http.token-file</c> (401 without it) and HTTPS with the node's
/// certificate when <c>distcache.tls.http</c> is on. Served here rather than by <c>AkkaManagement.Start()</c>:
/// Akka.Management 1.5.73's HTTP server (Akka.Http.Shim) was built against Ceen.Httpd 0.9.9, and the feed serves
/// only 0.9.10, whose ListenAsync has another signature (MissingMethodException at start-up); and it has neither
/// a token nor HTTPS. The probes are DistCache's too (<see cref="ProbingBootstrapCoordinator"/>).</summary>
public sealed class ManagementEndpoint : IDisposable
{
    public const string SeedNodesPath = "/bootstrap/seed-nodes";

    // Akka.Management's default (contact-point.max-seed-nodes-to-expose).
    private const int MaxSeedNodesToExpose = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly HttpClient _probes;

    private ManagementEndpoint(WebApplication app, HttpClient probes)
    {
        _app = app;
        _probes = probes;
    }

    /// <summary>Serves the route on --host and the management port, then starts Cluster Bootstrap.</summary>
    public static ManagementEndpoint Start(ActorSystem system, DistCacheSettings settings, string host)
    {
        var discovery = settings.Discovery;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (settings.Tls.OnHttp)
            NodeHttps.Listen(builder.WebHost, host, discovery.ManagementPort, settings.Tls);
        else
            builder.WebHost.UseUrls($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{discovery.ManagementPort}");
        var app = builder.Build();
        // Everything is protected, health included (there is none here): the seed nodes name the cluster's members.
        TokenGate.UseOn(app, settings.Http with { ProtectHealth = true });
        app.MapGet(SeedNodesPath, () => Results.Text(JsonConvert.SerializeObject(SeedNodes(Akka.Cluster.Cluster.Get(system))), "application/json"));
        try
        {
            app.StartAsync().WaitAsync(StartTimeout).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            ((IDisposable)app).Dispose();
            throw new ConfigurationException(
                $"{DiscoverySettings.ManagementPortSetting} (--management-port) {discovery.ManagementPort}: cannot listen on {host} ({ex.GetBaseException().Message})");
        }
        // First: the extension adds Akka.Management's defaults to the system's configuration.
        var bootstrap = ClusterBootstrap.Get(system);
        var bootstrapSettings = ClusterBootstrapSettings.Create(system.Settings.Config, Logging.GetLogger(system, typeof(ManagementEndpoint)));
        var endpoint = new ManagementEndpoint(app, ManagementProbeClient.Create(settings, bootstrapSettings.ContactPoint.ProbingFailureTimeout));
        system.WhenTerminated.ContinueWith(_ => endpoint.Dispose(), TaskScheduler.Default);

        // Cluster Bootstrap learns its own contact point from the routes it is asked for (the step
        // AkkaManagement.Start() would take), and the join decider recognises this node among the discovered ones by it.
        var advertised = system.Settings.Config.GetString("akka.management.http.hostname");
        var hostPart = advertised.Contains(':') ? $"[{advertised}]" : advertised;
        var self = new Uri($"{(settings.Tls.OnHttp ? "https" : "http")}://{hostPart}:{discovery.ManagementPort}");
        bootstrap.Routes(ManagementRouteProviderSettings.Create(self, readOnly: true));
        // What ClusterBootstrap.Start() does, with DistCache's coordinator (its probes) and join decider.
        var method = bootstrapSettings.ContactPointDiscovery.DiscoveryMethod;
        var serviceDiscovery = method == "akka.discovery"
            ? Akka.Discovery.Discovery.Get(system).Default
            : Akka.Discovery.Discovery.Get(system).LoadServiceDiscovery(method);
        var coordinator = ((ExtendedActorSystem)system).SystemActorOf(
            ProbingBootstrapCoordinator.Props(serviceDiscovery, new StoreGatedJoinDecider(system, bootstrapSettings), bootstrapSettings, endpoint._probes),
            "bootstrapCoordinator");
        coordinator.Tell(new BootstrapCoordinator.Protocol.InitiateBootstrapping(self));
        return endpoint;
    }

    /// <summary>As Akka.Management's HttpClusterBootstrapRoutes: a node on its way out names no seeds; else
    /// the reachable members that are up or joining.</summary>
    public static HttpBootstrapJsonProtocol.SeedNodes SeedNodes(Akka.Cluster.Cluster cluster)
    {
        var self = cluster.SelfMember;
        if (self.Status is MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving or MemberStatus.Removed)
            return new HttpBootstrapJsonProtocol.SeedNodes(self.UniqueAddress.Address, ImmutableList<HttpBootstrapJsonProtocol.ClusterMember>.Empty);
        var state = cluster.State;
        var members = state.Members
            .Where(m => !state.Unreachable.Contains(m) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
            .Take(MaxSeedNodesToExpose)
            .Select(m => new HttpBootstrapJsonProtocol.ClusterMember(m.UniqueAddress.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
            .ToImmutableList();
        return new HttpBootstrapJsonProtocol.SeedNodes(self.UniqueAddress.Address, members);
    }

    public void Dispose()
    {
        _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => ((IDisposable)_app).Dispose(), TaskScheduler.Default);
        _probes.Dispose();
    }
}
