using Akka.Actor;
using Akka.Cluster;
using DistCache.Protocol;

namespace DistCache.Actors.PubSub;

/// <summary>Carries published messages between nodes: what this node publishes goes to the relay of every
/// other member that is up, and what another node's relay sends is delivered to this node's subscribers.
/// One actor on each side keeps the order of a publisher's messages (Akka keeps the order of messages
/// between two actors).</summary>
public sealed class PubSubRelay : ReceiveActor
{
    public const string Name = "distcache-pubsub";

    /// <summary>A message published on this node, to send to the others.</summary>
    public sealed record Outgoing(Published Message);

    private readonly Dictionary<Address, ActorSelection> _others = [];

    public static Props Props(PubSubBroker broker) => Akka.Actor.Props.Create(() => new PubSubRelay(broker));

    public PubSubRelay(PubSubBroker broker)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<Outgoing>(outgoing =>
        {
            foreach (var relay in _others.Values)
                relay.Tell(outgoing.Message);
        });
        Receive<Published>(message => broker.Deliver(new CacheKey(message.Channel), message.Message, message.Sharded));
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (up.Member.Address != cluster.SelfAddress)
                _others[up.Member.Address] = Context.ActorSelection(new RootActorPath(up.Member.Address) / "user" / Name);
        });
        Receive<ClusterEvent.MemberRemoved>(removed => _others.Remove(removed.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
