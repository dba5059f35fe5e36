using Akka.Actor;
using Akka.Cluster;
using DistCache.Protocol;

namespace DistCache.Actors.PubSub;

/// <summary>Carries published messages between nodes: what this node publishes goes to the relay of every
/// other member from the moment it is known as joining, and what another node's relay sends is delivered to
/// this node's subscribers. Joining, not up: the leader moves a node up only once every member has seen it
/// joining, so by the time the node is up (and takes subscriptions) every publisher already sends to it;
/// waiting for MemberUp left a window in which a subscription on a new node missed what others published.
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
        Receive<ClusterEvent.MemberRemoved>(removed => _others.Remove(removed.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(known =>
        {
            var address = known.Member.Address;
            if (address != cluster.SelfAddress && !_others.ContainsKey(address))
                _others[address] = Context.ActorSelection(new RootActorPath(address) / "user" / Name);
        });
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
