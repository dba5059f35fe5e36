using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using DistCache.Protocol;

namespace DistCache.Actors.Notifications;

/// <summary>Carries invalidations between nodes and to the near caches registered on this node, and says how far
/// they are known to have arrived. Each tick it first sends on what this node's partitions changed, then pings
/// every other member and echoes their pings: a peer's echo of ping N means every invalidation of a write that
/// peer acknowledged before it saw ping N is already here (one actor to one actor, in order, numbered to find a
/// loss). The oldest such moment over all members is how far this node is covered; a near cache gets, in the same
/// way, the newest of its own pings that arrived here before that moment. Every comparison is on one clock or
/// follows a message, so the bound this gives a near cache needs no synchronised clocks and no bound on delays.</summary>
public sealed class InvalidationRelay : ReceiveActor, IWithTimers
{
    public const string Name = "distcache-invalidation";

    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);
    private static readonly long InterestLease = Stopwatch.Frequency;          // 1 s
    private static readonly long ClientLease = 3 * Stopwatch.Frequency;        // 3 s
    private static readonly long ListenerLagLimit = Stopwatch.Frequency;       // 1 s

    private readonly InvalidationHub _hub;
    private readonly Akka.Cluster.Cluster _cluster;
    private readonly string _node = Guid.NewGuid().ToString("N")[..12];
    private readonly Dictionary<Address, (PeerLink Link, ActorSelection Relay)> _peers = [];
    private readonly Dictionary<IActorRef, NearCacheClient> _clients = [];
    private readonly PingLog _pings = new();
    private long _stretches;
    private long _epoch;
    private long _listenersEpoch;
    private bool _listenersLagging;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(InvalidationHub hub, Akka.Cluster.Cluster cluster) => Akka.Actor.Props.Create(() => new InvalidationRelay(hub, cluster));

    public InvalidationRelay(InvalidationHub hub, Akka.Cluster.Cluster cluster)
    {
        _hub = hub;
        _cluster = cluster;
        Receive<Flush>(_ => Send(_hub.Drain()));
        Receive<Tick>(_ => OnTick());
        Receive<InvalidationTick>(OnPeerTick);
        Receive<KeysInvalidated>(OnPeerKeys);
        Receive<NearCachePing>(OnClientPing);
    }

    protected override void PreStart() => Timers.StartPeriodicTimer("tick", Tick.Instance, TickInterval);

    private bool Interested => _hub.Listeners.Length > 0 || _clients.Count > 0;

    private void OnTick()
    {
        // First what was changed here, so it travels ahead of the ticks that count it as sent.
        Send(_hub.Drain());
        var now = Stopwatch.GetTimestamp();
        SyncMembers();
        foreach (var (_, (link, _)) in _peers)
            if (link.Covering != 0 && link.InterestUntil < now)
                link.Unwanted();
        foreach (var gone in _clients.Where(c => now - c.Value.LastSeen > ClientLease).Select(c => c.Key).ToArray())
            _clients.Remove(gone);
        _hub.NearCachesNow(_clients.Count);

        var interested = Interested;
        _hub.Refresh(_clients.Count > 0 || _peers.Values.Any(p => p.Link.Covering != 0));
        var ping = interested ? _pings.Send(now) : 0;
        foreach (var (_, (link, relay)) in _peers)
            if (interested || link.Covering != 0)
                relay.Tell(new InvalidationTick(link.NextOutSeq(), interested, link.Covering, ping, link.TheirPing), Self);
        if (!interested)
            return;

        var covered = CoveredAt(now);
        foreach (var client in _clients.Values)
            client.ReplyTo.Tell(new NearCacheTick(_node, client.NextOutSeq(), _epoch, client.LastPing, client.CoveredPing(covered)), Self);
        // Redis connections tracking keys have no bound to honour: they are told to drop everything when this node
        // may have missed invalidations (a new stretch, or no news from a member for a second).
        var lagging = covered is not { } at || now - at > ListenerLagLimit;
        if (_listenersEpoch != _epoch || (lagging && !_listenersLagging))
        {
            foreach (var listener in _hub.Listeners)
                listener.InvalidatedAll();
        }
        _listenersEpoch = _epoch;
        _listenersLagging = lagging;
    }

    // Every member but this one must have echoed a ping of its current stretch; this node's own partitions
    // were drained at the start of the tick.
    private long? CoveredAt(long now)
    {
        long covered = now;
        foreach (var (link, _) in _peers.Values)
        {
            if (link.TheirCovering <= 0 || link.CoveredAt is not { } at)
                return null;
            covered = Math.Min(covered, at);
        }
        return covered;
    }

    // Members that may host partitions, or soon will: a node joining is counted from the moment it is seen, before
    // sharding can give it a partition (it must be Up, which needs this node to have seen it join).
    private void SyncMembers()
    {
        var members = _cluster.State.Members
            .Where(m => m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Up or MemberStatus.Leaving or MemberStatus.Exiting)
            .Select(m => m.Address)
            .Where(a => a != _cluster.SelfAddress)
            .ToHashSet();
        foreach (var gone in _peers.Keys.Where(a => !members.Contains(a)).ToArray())
            _peers.Remove(gone);
        foreach (var address in members)
        {
            if (_peers.ContainsKey(address))
                continue;
            _peers[address] = (new PeerLink(), Context.ActorSelection(new RootActorPath(address) / "user" / Name));
            _epoch++;
        }
    }

    private void OnPeerTick(InvalidationTick tick)
    {
        if (!_peers.TryGetValue(Sender.Path.Address, out var peer))
            return; // not a member in this node's view yet: it ticks again
        var (link, _) = peer;
        if (!link.Received(tick.Seq))
            _epoch++;
        if (tick.Interested)
        {
            if (link.Wanted(Stopwatch.GetTimestamp() + InterestLease, () => ++_stretches))
                _hub.Refresh(true); // before this node's next tick tells the peer it forwards
        }
        else if (link.Covering != 0)
        {
            link.Unwanted();
        }
        if (link.Ticked(tick.Covering, tick.Ping, _pings.SentAt(tick.Echo)))
            _epoch++;
    }

    private void OnPeerKeys(KeysInvalidated keys)
    {
        if (_peers.TryGetValue(Sender.Path.Address, out var peer) && !peer.Link.Received(keys.Seq))
            _epoch++;
        Deliver(keys.All ? null : keys.Keys, toPeers: false);
    }

    private void OnClientPing(NearCachePing ping)
    {
        if (!_clients.TryGetValue(Sender, out var client))
        {
            // The same client through a new tunnel (its ClusterClient moved): the old entry goes.
            foreach (var stale in _clients.Where(c => c.Value.ClientId == ping.ClientId).Select(c => c.Key).ToArray())
                _clients.Remove(stale);
            _clients[Sender] = client = new NearCacheClient(Sender, ping.ClientId);
            _hub.Refresh(true);
            _hub.NearCachesNow(_clients.Count);
        }
        client.Pinged(ping.Ping, Stopwatch.GetTimestamp());
    }

    private void Send(CacheKey[]? keys)
    {
        if (keys is { Length: 0 })
            return;
        Deliver(keys, toPeers: true);
    }

    // keys null: any key may have changed.
    private void Deliver(CacheKey[]? keys, bool toPeers)
    {
        foreach (var listener in _hub.Listeners)
        {
            if (keys is null)
                listener.InvalidatedAll();
            else
                listener.Invalidated(keys);
        }
        foreach (var client in _clients.Values)
            client.ReplyTo.Tell(new NearCacheInvalidated(_node, client.NextOutSeq(), keys ?? [], keys is null), Self);
        if (!toPeers)
            return;
        foreach (var (link, relay) in _peers.Values)
            if (link.Covering != 0)
                relay.Tell(new KeysInvalidated(link.NextOutSeq(), keys ?? [], keys is null), Self);
    }

    internal sealed class Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
