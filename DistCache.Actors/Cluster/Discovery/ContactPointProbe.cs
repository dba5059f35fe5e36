using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Newtonsoft.Json;
using static Akka.Discovery.ServiceDiscovery;
using static Akka.Management.Cluster.Bootstrap.Internal.BootstrapCoordinator.Protocol;

namespace DistCache.Actors.Cluster.Discovery;

/// <summary>Asks one contact point's management endpoint for its seed nodes every probe interval and tells the
/// bootstrap coordinator what it answered, as Akka.Management's HttpContactPointBootstrap does, but through
/// <see cref="ManagementProbeClient"/> (the token, the cluster CA). Failing past the probing-failure timeout, it
/// tells the coordinator and stops; the coordinator probes again if discovery still lists the contact point.</summary>
internal sealed class ContactPointProbe : ReceiveActor, IWithTimers
{
    private readonly ResolvedTarget _contactPoint;
    private readonly Uri _request;
    private readonly HttpClient _http;
    private readonly TimeSpan _interval;
    private readonly double _jitter;
    private readonly TimeSpan _failureTimeout;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private DateTime _failingSince = DateTime.MaxValue;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClusterBootstrapSettings settings, ResolvedTarget contactPoint, Uri baseUri, HttpClient http) =>
        Akka.Actor.Props.Create(() => new ContactPointProbe(settings, contactPoint, baseUri, http));

    public ContactPointProbe(ClusterBootstrapSettings settings, ResolvedTarget contactPoint, Uri baseUri, HttpClient http)
    {
        _contactPoint = contactPoint;
        _request = new Uri(baseUri, ManagementEndpoint.SeedNodesPath);
        _http = http;
        _interval = settings.ContactPoint.ProbeInterval;
        _jitter = settings.ContactPoint.ProbeIntervalJitter;
        _failureTimeout = settings.ContactPoint.ProbeInterval + settings.ContactPoint.ProbingFailureTimeout;

        Receive<Probe>(_ => ProbeAsync().PipeTo(Self));
        Receive<HttpBootstrapJsonProtocol.SeedNodes>(OnAnswer);
        Receive<Status.Failure>(f => OnFailure(f.Cause));
    }

    protected override void PreStart() => Self.Tell(Probe.Instance);

    protected override void PostStop() => _stopping.Cancel();

    private async Task<HttpBootstrapJsonProtocol.SeedNodes> ProbeAsync()
    {
        using var response = await _http.GetAsync(_request, _stopping.Token).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(_stopping.Token).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{_request} answered {(int)response.StatusCode} {response.StatusCode}" +
                (response.StatusCode == HttpStatusCode.Unauthorized ? " (the nodes must share distcache.http.token-file)" : ""));
        var nodes = JsonConvert.DeserializeObject<HttpBootstrapJsonProtocol.SeedNodes>(body);
        return nodes?.SelfNode is null ? throw new InvalidOperationException($"{_request} answered no self node: '{body}'") : nodes;
    }

    private void OnAnswer(HttpBootstrapJsonProtocol.SeedNodes nodes)
    {
        _failingSince = DateTime.MaxValue;
        Context.Parent.Tell(new ObtainedSeedNodesObservation(DateTimeOffset.Now, _contactPoint, nodes.SelfNode,
            nodes.Nodes.Select(n => n.Node).ToImmutableHashSet()));
        // Keep probing: a cluster may still form elsewhere.
        ScheduleNext();
    }

    private void OnFailure(Exception cause)
    {
        var now = DateTime.UtcNow;
        if (_failingSince == DateTime.MaxValue)
            _failingSince = now;
        _log.Warning("event=bootstrap-probe-failed contact-point={0} reason={1}", _request, cause.GetBaseException().Message);
        if (now - _failingSince > _failureTimeout)
        {
            Context.Parent.Tell(new ProbingFailed(_contactPoint, cause));
            Context.Stop(Self);
            return;
        }
        ScheduleNext();
    }

    private void ScheduleNext() =>
        Timers.StartSingleTimer("probe", Probe.Instance, _interval + TimeSpan.FromTicks((long)(_interval.Ticks * _jitter * Random.Shared.NextDouble())));

    private sealed class Probe
    {
        public static readonly Probe Instance = new();
    }
}
