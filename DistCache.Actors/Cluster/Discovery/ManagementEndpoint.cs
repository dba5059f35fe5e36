using System.Collections.Immutable;
using System.Net;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Event;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Akka.Management.Dsl;
using Newtonsoft.Json;

namespace DistCache.Actors.Cluster.Discovery;

/// <summary>The management endpoint Cluster Bootstrap's probes read: GET /bootstrap/seed-nodes, answered as
/// Akka.Management's own route answers it, and nothing else (404; other methods 405). Served here rather than
/// by <c>AkkaManagement.Start()</c>: Akka.Management 1.5.73's HTTP server (Akka.Http.Shim) was built against
/// Ceen.Httpd 0.9.9, and the feed serves only 0.9.10, whose ListenAsync has another signature
/// (MissingMethodException at start-up).</summary>
public sealed class ManagementEndpoint : IDisposable
{
    public const string SeedNodesPath = "/bootstrap/seed-nodes";

    // Akka.Management's default (contact-point.max-seed-nodes-to-expose).
    private const int MaxSeedNodesToExpose = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ActorSystem _system;
    private readonly HttpListener _listener;

    private ManagementEndpoint(ActorSystem system, HttpListener listener)
    {
        _system = system;
        _listener = listener;
    }

    /// <summary>Serves the route on --host and the management port, then starts Cluster Bootstrap.</summary>
    public static ManagementEndpoint Start(ActorSystem system, DiscoverySettings discovery, string host)
    {
        var listener = new HttpListener();
        var bound = host is "0.0.0.0" or "::" ? "+" : host.Contains(':') ? $"[{host}]" : host;
        listener.Prefixes.Add($"http://{bound}:{discovery.ManagementPort}/");
        try
        {
            listener.Start();
        }
        catch (Exception ex) when (ex is HttpListenerException or System.Net.Sockets.SocketException)
        {
            listener.Close();
            throw new ConfigurationException(
                $"{DiscoverySettings.ManagementPortSetting} (--management-port) {discovery.ManagementPort}: cannot listen on {host} ({ex.Message})");
        }
        var endpoint = new ManagementEndpoint(system, listener);
        _ = endpoint.ServeAsync();
        system.WhenTerminated.ContinueWith(_ => endpoint.Dispose(), TaskScheduler.Default);

        // Cluster Bootstrap learns its own contact point from the routes it is asked for (the step
        // AkkaManagement.Start() would take), and recognises itself among the discovered ones by it.
        var advertised = system.Settings.Config.GetString("akka.management.http.hostname");
        var hostPart = advertised.Contains(':') ? $"[{advertised}]" : advertised;
        var bootstrap = ClusterBootstrap.Get(system);
        bootstrap.Routes(ManagementRouteProviderSettings.Create(new Uri($"http://{hostPart}:{discovery.ManagementPort}"), readOnly: true));
        bootstrap.Start().WaitAsync(StartTimeout).GetAwaiter().GetResult();
        return endpoint;
    }

    private async Task ServeAsync()
    {
        var log = Logging.GetLogger(_system, typeof(ManagementEndpoint));
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            try
            {
                Answer(context);
            }
            catch (Exception ex)
            {
                log.Warning("event=management-request-failed reason={0}", ex.Message);
                try { context.Response.Abort(); } catch (ObjectDisposedException) { }
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var response = context.Response;
        if (context.Request.Url?.AbsolutePath != SeedNodesPath)
            response.StatusCode = (int)HttpStatusCode.NotFound;
        else if (context.Request.HttpMethod != "GET")
            response.StatusCode = (int)HttpStatusCode.MethodNotAllowed;
        else
        {
            var body = Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(SeedNodes(Akka.Cluster.Cluster.Get(_system))));
            response.ContentType = "application/json";
            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body);
        }
        response.Close();
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

    public void Dispose() => _listener.Close();
}
