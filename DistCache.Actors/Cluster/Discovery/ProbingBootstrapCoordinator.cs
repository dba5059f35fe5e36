using Akka.Actor;
using Akka.Discovery;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Cluster.Bootstrap.Internal;
using static Akka.Discovery.ServiceDiscovery;

namespace DistCache.Actors.Cluster.Discovery;

/// <summary>Akka.Management's bootstrap coordinator with DistCache's probe (<see cref="ContactPointProbe"/>): the
/// coordinator's discovery rounds and join decisions are Akka's, only the HTTP request to each contact point is
/// ours, so it can carry the token and the cluster CA that the management endpoints require.</summary>
internal sealed class ProbingBootstrapCoordinator : BootstrapCoordinator
{
    private readonly ClusterBootstrapSettings _settings;
    private readonly HttpClient _http;
    private readonly Address _self;

    public static Props Props(ServiceDiscovery discovery, IJoinDecider decider, ClusterBootstrapSettings settings, HttpClient http) =>
        Akka.Actor.Props.Create(() => new ProbingBootstrapCoordinator(discovery, decider, settings, http));

    public ProbingBootstrapCoordinator(ServiceDiscovery discovery, IJoinDecider decider, ClusterBootstrapSettings settings, HttpClient http)
        : base(discovery, decider, settings)
    {
        _settings = settings;
        _http = http;
        _self = Akka.Cluster.Cluster.Get(Context.System).SelfAddress;
    }

    protected override IActorRef? EnsureProbing(string selfContactPointScheme, ResolvedTarget contactPoint)
    {
        var host = contactPoint.Address is { } address
            ? address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString()
            : contactPoint.Host;
        if (string.IsNullOrEmpty(host))
            return null;
        var port = contactPoint.Port ?? _settings.ContactPoint.FallbackPort;
        var baseUri = new Uri($"{selfContactPointScheme}://{host}:{port}/");
        // A contact point on this node's own remoting port is a misconfiguration Akka's coordinator skips too.
        if (baseUri.Host == _self.Host && baseUri.Port == _self.Port)
            return null;
        var name = $"probe-{Uri.EscapeDataString(baseUri.Host)}-{baseUri.Port}";
        var child = Context.Child(name);
        return !child.IsNobody() ? child : Context.ActorOf(ContactPointProbe.Props(_settings, contactPoint, baseUri, _http), name);
    }
}
