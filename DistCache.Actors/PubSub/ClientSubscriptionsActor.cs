using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Actors.PubSub;

/// <summary>The .NET clients' side of the node's pub/sub, behind the gateway: it keeps their leased
/// subscriptions (<see cref="ClientRegistrations"/>) and publishes their <see cref="PublishMessage"/>s on the
/// node's <see cref="PubSubBroker"/>, as a Redis connection's SUBSCRIBE and PUBLISH do.</summary>
public sealed class ClientSubscriptionsActor : ReceiveActor, IWithTimers
{
    public const string Name = "distcache-client-pubsub";
    public const string Path = "/user/" + Name;

    private static readonly TimeSpan ExpiryCheck = TimeSpan.FromSeconds(1);

    // A retried publish is recognised while its caller may still retry it: until its deadline (on the
    // caller's clock) plus a margin far beyond any clock skew between client and node.
    private const int RememberedPublishes = 10_000;
    private static readonly long ForgetMarginMs = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;

    private readonly ClientRegistrations _registrations;
    private readonly RequestWindow _published = new(RememberedPublishes);
    private readonly PubSubBroker _broker;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PubSubBroker broker) => Akka.Actor.Props.Create(() => new ClientSubscriptionsActor(broker));

    public ClientSubscriptionsActor(PubSubBroker broker)
    {
        _broker = broker;
        // Random, so a registration number never repeats across nodes or restarts: a client tells nodes apart by it.
        _registrations = new ClientRegistrations(broker, ClientSubscriptions.Lease, () => Random.Shared.NextInt64(1, long.MaxValue));

        Receive<ClientSubscriptions>(lease =>
        {
            _registrations.Renew(lease, Sender, NowMs());
            broker.ClientLeasesNow(_registrations.Count);
        });
        Receive<ClientRequest>(request =>
        {
            if (request.Command is not PublishMessage publish)
                return;
            if (!_published.TryGet(request.RequestId, out var reply))
            {
                reply = publish.Channel.IsNull || publish.Message is null
                    ? new Rejected(CacheErrorCode.InvalidArgument)
                    : new CounterValue(broker.Publish(publish.Channel, publish.Message, sharded: false));
                _published.Remember(request.RequestId, reply, request.DeadlineUnixMs > 0 ? request.DeadlineUnixMs + ForgetMarginMs : 0, NowMs());
            }
            Sender.Tell(new ClientResponse(request.CorrelationId, reply));
        });
        Receive<Expire>(_ =>
        {
            _registrations.Expire(NowMs());
            broker.ClientLeasesNow(_registrations.Count);
        });
    }

    protected override void PreStart() => Timers.StartPeriodicTimer("expire", Expire.Instance, ExpiryCheck);

    protected override void PostStop()
    {
        _registrations.ReleaseAll();
        _broker.ClientLeasesNow(0);
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private sealed class Expire
    {
        public static readonly Expire Instance = new();
    }
}
