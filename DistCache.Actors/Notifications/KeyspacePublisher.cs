using Akka.Actor;
using Akka.Cluster;
using DistCache.Actors.Partitions;
using DistCache.Actors.PubSub;
using DistCache.Protocol;

namespace DistCache.Actors.Notifications;

/// <summary>Publishes a node's keyspace events through its pub/sub (delivered here, relayed to every node),
/// and keeps notify-keyspace-events the same on every node: a CONFIG SET here goes to the others, and a node
/// that comes up later is sent the last one (the later of two settings wins, by the wall clock of the nodes
/// that took them). Until then a node runs with its own configured value.</summary>
public sealed class KeyspacePublisher : ReceiveActor
{
    public const string Name = "distcache-keyspace";

    public sealed record Write(IClientCommand Command, PartitionChanged Changes, IReadOnlyCollection<CacheKey>? Created = null);

    public sealed record Expiry(CacheKey Key);

    public sealed record SetHere(KeyspaceEventClasses Flags);

    private static readonly byte[] KeyspacePrefix = "__keyspace@0__:"u8.ToArray();
    private static readonly byte[] KeyeventPrefix = "__keyevent@0__:"u8.ToArray();

    private readonly KeyspaceNotifier _notifier;
    private readonly PubSubBroker _pubSub;
    private readonly Dictionary<Address, ActorSelection> _others = [];
    // Each event name's bytes and keyevent channel, made once: the names are a few dozen constants.
    private readonly Dictionary<string, (byte[] Name, CacheKey Channel)> _names = [];
    private readonly List<KeyspaceEvent> _events = [];
    private KeyspaceEventsSet? _lastSet;

    public static Props Props(KeyspaceNotifier notifier, PubSubBroker pubSub) =>
        Akka.Actor.Props.Create(() => new KeyspacePublisher(notifier, pubSub));

    public KeyspacePublisher(KeyspaceNotifier notifier, PubSubBroker pubSub)
    {
        _notifier = notifier;
        _pubSub = pubSub;
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<Write>(write =>
        {
            _events.Clear();
            KeyspaceEventMap.Add(write.Command, write.Changes, _events);
            if (write.Created is { Count: > 0 } created)
                KeyspaceEventMap.AddNew(write.Command, created, _events);
            foreach (var e in _events)
                Publish(e);
        });
        Receive<Expiry>(expiry => Publish(KeyspaceEventMap.ExpiredEvent(expiry.Key)));
        Receive<SetHere>(set =>
        {
            // Strictly later than the last one seen, so a quick second CONFIG SET is not lost to a tie.
            var at = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), (_lastSet?.SetAtUnixMs ?? 0) + 1);
            _lastSet = new KeyspaceEventsSet(KeyspaceEventFlags.Format(set.Flags) + Hidden(set.Flags), at);
            foreach (var other in _others.Values)
                other.Tell(_lastSet);
        });
        Receive<KeyspaceEventsSet>(set =>
        {
            if (set.SetAtUnixMs <= (_lastSet?.SetAtUnixMs ?? 0) || !KeyspaceEventFlags.TryParse(set.Flags, out var flags))
                return;
            _lastSet = set;
            _notifier.Apply(flags);
        });
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (up.Member.Address == cluster.SelfAddress)
                return;
            var other = Context.ActorSelection(new RootActorPath(up.Member.Address) / "user" / Name);
            _others[up.Member.Address] = other;
            if (_lastSet is not null)
                other.Tell(_lastSet);
        });
        Receive<ClusterEvent.MemberRemoved>(removed => _others.Remove(removed.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    // Redis's normalised text leaves out n and d under A; the message carries them so every node has the same flags.
    private static string Hidden(KeyspaceEventClasses flags) =>
        (flags & KeyspaceEventClasses.All) == KeyspaceEventClasses.All && (flags & KeyspaceEventClasses.New) != 0 ? "n" : "";

    private void Publish(KeyspaceEvent e)
    {
        var flags = _notifier.Flags;
        if ((flags & e.Class) == 0)
            return;
        if (!_names.TryGetValue(e.Name, out var name))
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(e.Name);
            _names[e.Name] = name = (bytes, new CacheKey([.. KeyeventPrefix, .. bytes]));
        }
        if ((flags & KeyspaceEventClasses.Keyspace) != 0)
            _pubSub.Publish(new CacheKey([.. KeyspacePrefix, .. e.Key.AsSpan()]), name.Name, sharded: false);
        if ((flags & KeyspaceEventClasses.Keyevent) != 0)
            _pubSub.Publish(name.Channel, e.Key.ToArray(), sharded: false);
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
