using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using System.Collections.Immutable;
using DistCache.Client.Contacts;
using DistCache.Wire;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>The client's one actor: it numbers each request, sends it through the ClusterClient and
/// completes the caller's task when the reply with that number comes back, or fails it once its deadline
/// passes. One long-lived actor instead of a temporary Ask actor per request. A request with no reply
/// after the retry interval is sent again with the same request id (through whichever node the
/// ClusterClient reaches now), and partitions answer such a retry with the original result. Requests
/// queued at the same moment travel as one batch.
/// A ClusterClient, this actor's child, is the way in; it is started again with every node the client knows of
/// (<see cref="ContactBook"/>) when the cluster stops answering, so the configured contact points matter only
/// until the first answer. The data path goes around it where it can: the
/// actor learns from a gateway which node owns each partition (<see cref="OwnerMap"/>) and sends a keyed
/// request, or a batch of them, straight to its owner's gateway. A stale owner costs a forward there; a dead one
/// costs a retry, and retries always go through the ClusterClient.</summary>
internal sealed class RequestCorrelator : ReceiveActor, IWithTimers
{
    // Deadlines are checked on a tick rather than with a timer per request: one scheduled message
    // serves every in-flight request.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);

    // Heartbeats announce the client to the node it reaches; their acks tell whether the cluster is there.
    private static readonly TimeSpan HeartbeatInterval = ClientHeartbeat.Interval;
    private static readonly TimeSpan SilenceBeforeLost = TimeSpan.FromSeconds(5);

    // When the cluster counts as lost, the ClusterClient is started again with every node this client knows
    // of, and the configured names are resolved again. ClusterClient's own failover (about 4 s: heartbeat 1 s,
    // pause 3 s) comes first and only tries the contacts its receptionist named, which may all be gone; a
    // slow answer, not a dead node, then costs a reconnect only after that.
    private static readonly TimeSpan SilenceBeforeReconnect = SilenceBeforeLost;
    private static readonly TimeSpan ResolvePatience = TimeSpan.FromSeconds(5);

    private const int MaxBatch = 256;

    private readonly PendingRequests _pending;
    private readonly List<ClientRequest> _outbox = [];
    private readonly Guid _clientId = Guid.NewGuid();
    private readonly Action<bool> _connectivityChanged;
    private long _lastAck;
    private bool _connected;
    private readonly ClientEntry _entry;
    private readonly ContactBook _book;
    private IActorRef _clusterClient = ActorRefs.Nobody;
    private int _incarnation;
    private long _lastReconnect;
    private bool _resolving;
    private readonly TimeSpan _timeout;
    private readonly OwnerMap _owners;
    private readonly TimeSpan _ownerRefreshInterval;
    // Owner gateways by path, resolved once each; a path not (yet) resolved routes through the ClusterClient.
    private readonly Dictionary<string, IActorRef> _ownerGateways = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolvingGateways = new(StringComparer.Ordinal);

    public RequestCorrelator(ClientEntry entry, TimeSpan timeout, TimeSpan retryInterval, Action<bool> connectivityChanged, OwnerMap owners,
        TimeSpan ownerRefreshInterval)
    {
        _ownerRefreshInterval = ownerRefreshInterval;
        _owners = owners;
        _entry = entry;
        _book = new ContactBook(entry.Scheme);
        _connectivityChanged = connectivityChanged;
        _timeout = timeout;
        _pending = new PendingRequests(timeout, retryInterval);

        Receive<Outgoing>(Send);
        // Local affinity: the receptionist's own gateway, not a random node's (ClusterClient.Send's default).
        Receive<ViaCluster>(via => _clusterClient.Tell(new ClusterClient.Send(NodeAddress.GatewayPath, via.Message, localAffinity: true), via.ReplyTo));
        Receive<FlushOutbox>(_ => FlushQueued());
        Receive<ClientResponse>(Complete);
        Receive<ClientResponseBatch>(batch =>
        {
            foreach (var response in batch.Responses)
                Complete(response);
        });
        Receive<Sweep>(_ =>
        {
            FailExpired();
            CheckConnectivity();
        });
        Receive<Heartbeat>(_ => SendHeartbeat());
        Receive<RefreshOwners>(_ => ToGateway(GetPartitionOwners.Instance));
        Receive<PartitionOwners>(LearnOwners);
        Receive<ActorIdentity>(identity =>
        {
            if (identity.MessageId is not string path || !_resolvingGateways.Remove(path))
                return;
            if (identity.Subject is { } owner && _owners.Gateways.Contains(path))
            {
                _ownerGateways[path] = owner;
                Context.Watch(owner);
            }
        });
        Receive<Terminated>(t => Forget(p => p.Value.Equals(t.ActorRef)));
        Receive<CountOwnerGateways>(_ => Sender.Tell(_ownerGateways.Count));
        Receive<DescribeContacts>(_ => Sender.Tell(new KnownContacts(_book.Nodes.Select(a => a.ToString()).ToArray(), _incarnation)));
        // What the ClusterClient's receptionist named: known before the first request is forwarded, so before
        // its answer arrives.
        Receive<ContactPoints>(points =>
        {
            foreach (var path in points.ContactPointsList)
                _book.Learn(path.Address);
        });
        Receive<ContactPointAdded>(added => _book.Learn(added.ContactPoint.Address));
        Receive<ContactPointRemoved>(_ => { });
        Receive<ContactsResolved>(resolved =>
        {
            _resolving = false;
            // New addresses for a name while nothing answers: try them now rather than at the next silence.
            if (_book.SetConfigured(resolved.Endpoints) && _lastAck < _lastReconnect)
                Reconnect();
        });
        Receive<HeartbeatAck>(ack =>
        {
            _lastAck = Stopwatch.GetTimestamp();
            if (ack.Members is { Length: > 0 } members)
                _book.LearnMembers(members);
            if (!_connected)
            {
                _connected = true;
                _connectivityChanged(true);
            }
        });
    }

    public static Props Props(ClientEntry entry, TimeSpan timeout, TimeSpan retryInterval, Action<bool> connectivityChanged, OwnerMap owners,
        TimeSpan ownerRefreshInterval) =>
        Akka.Actor.Props.Create(() => new RequestCorrelator(entry, timeout, retryInterval, connectivityChanged, owners, ownerRefreshInterval));

    private void CheckConnectivity()
    {
        if (_connected && Stopwatch.GetElapsedTime(_lastAck) > SilenceBeforeLost)
        {
            _connected = false;
            _connectivityChanged(false);
        }
        if (Stopwatch.GetElapsedTime(Math.Max(_lastAck, _lastReconnect)) > SilenceBeforeReconnect)
        {
            Reconnect();
            Resolve();
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        // The configured contacts as written (a name included) first, so the first request waits for no
        // DNS answer; what the names resolve to joins them when it arrives.
        _book.SetConfigured(_entry.ContactPoints);
        Reconnect();
        Resolve();
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, SweepInterval);
        Timers.StartPeriodicTimer("heartbeat", Heartbeat.Instance, HeartbeatInterval, HeartbeatInterval);
        Timers.StartPeriodicTimer("owners", RefreshOwners.Instance, TimeSpan.Zero, _ownerRefreshInterval);
    }

    /// <summary>A new ClusterClient over every node the book holds. What the old one buffered is lost with it,
    /// so every request in flight is sent again at once (same request id: a partition answers a write it has
    /// already applied with its first result).</summary>
    private void Reconnect()
    {
        if (!_clusterClient.IsNobody())
            Context.Stop(_clusterClient);
        var contacts = _book.Receptionists().ToImmutableHashSet();
        _clusterClient = Context.ActorOf(ClusterClient.Props(_entry.Settings.WithInitialContacts(contacts)), $"cluster-client-{++_incarnation}");
        _clusterClient.Tell(SubscribeContactPoints.Instance, Self);
        _lastReconnect = Stopwatch.GetTimestamp();
        // The heartbeat first: its answer lists the members, before any request's answer can arrive.
        SendHeartbeat();
        _pending.RetryAll(Retry);
    }

    private void Resolve()
    {
        if (_resolving)
            return;
        _resolving = true;
        ResolveAllAsync(_entry).PipeTo(Self);

        // Off the actor's thread: touches nothing of the actor's state.
        static async Task<ContactsResolved> ResolveAllAsync(ClientEntry entry)
        {
            var results = await Task.WhenAll(entry.ContactPoints.Select(async contact =>
            {
                try
                {
                    using var patience = new CancellationTokenSource(ResolvePatience);
                    return await entry.Resolver(contact, patience.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // A resolver that fails leaves the contact as it was written.
                    return (IReadOnlyList<string>)[contact];
                }
            })).ConfigureAwait(false);
            return new ContactsResolved(results.SelectMany(r => r).ToArray());
        }
    }

    private void SendHeartbeat() =>
        ToGateway(new ClientHeartbeat(_clientId, ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString()));

    private void LearnOwners(PartitionOwners owners)
    {
        _owners.Update(owners);
        var current = _owners.Gateways;
        // A node that left is dropped; a new one is resolved once, its gateway then reached without a lookup.
        Forget(p => !current.Contains(p.Key));
        // An Identify sent to a node that is not there is never answered: ask again on each refresh.
        _resolvingGateways.Clear();
        foreach (var path in current)
        {
            if (!ActorPath.TryParse(path, out var parsed))
                continue;
            _book.Learn(parsed.Address);
            if (_ownerGateways.ContainsKey(path) || !_resolvingGateways.Add(path))
                continue;
            Context.ActorSelection(parsed).Tell(new Identify(path), Self);
        }
    }

    private void Forget(Func<KeyValuePair<string, IActorRef>, bool> which)
    {
        foreach (var entry in _ownerGateways.Where(which).ToArray())
        {
            _ownerGateways.Remove(entry.Key);
            Context.Unwatch(entry.Value);
        }
    }

    protected override void PostStop()
    {
        _pending.FailAll(new ObjectDisposedException(nameof(DistCacheClient)));
    }

    private void Send(Outgoing outgoing)
    {
        // The same deadline travels with every retry; this actor gives up at the same moment on its own
        // monotonic clock (or up to one sweep later), never before.
        var requestId = outgoing.RequestId != Guid.Empty ? outgoing.RequestId : outgoing.Command is IWriteCommand ? Guid.NewGuid() : Guid.Empty;
        var request = _pending.Register(outgoing.Command, requestId, outgoing.Completion);
        // A traced keyed request goes alone, in its envelope, at once; its retries go bare (untraced).
        if (outgoing.TraceParent is { } traceParent && outgoing.Command is ICacheCommand)
        {
            var traced = new TracedRequest(request, traceParent);
            if (OwnerGatewayOf(request) is { } owner)
                owner.Tell(traced, Self);
            else
                ToGateway(traced);
            return;
        }
        // Requests queued at the same moment go out as one message: the flush is a message of its own, so
        // it runs after everything already in the mailbox, and a lone request waits for nothing.
        _outbox.Add(request);
        if (_outbox.Count == 1)
            Self.Tell(FlushOutbox.Instance);
        else if (_outbox.Count >= MaxBatch)
            FlushQueued();
    }

    private void FlushQueued()
    {
        if (_outbox.Count == 1)
            SendTo(OwnerGatewayOf(_outbox[0]), _outbox);
        else if (_outbox.Count > 1)
            SendGrouped();
        _outbox.Clear();
    }

    // One message per owner, one more through the ClusterClient for the requests without a known owner.
    private void SendGrouped()
    {
        var byOwner = new Dictionary<IActorRef, List<ClientRequest>>();
        List<ClientRequest>? unrouted = null;
        foreach (var request in _outbox)
        {
            if (OwnerGatewayOf(request) is not { } owner)
            {
                (unrouted ??= []).Add(request);
                continue;
            }
            if (!byOwner.TryGetValue(owner, out var list))
                byOwner[owner] = list = [];
            list.Add(request);
        }
        foreach (var (owner, requests) in byOwner)
            SendTo(owner, requests);
        if (unrouted is not null)
            SendTo(null, unrouted);
    }

    private IActorRef? OwnerGatewayOf(ClientRequest request) =>
        _ownerGateways.Count > 0 && _owners.OwnerOf(request.Command) is { } path && _ownerGateways.TryGetValue(path, out var owner) ? owner : null;

    // owner null: through the ClusterClient.
    private void SendTo(IActorRef? owner, List<ClientRequest> requests)
    {
        object message = requests.Count == 1 ? requests[0] : new ClientRequestBatch(requests.ToArray());
        if (owner is null)
            ToGateway(message);
        else
            owner.Tell(message, Self);
    }

    // A retry goes through the ClusterClient, never to the owner again: if the owner is gone, the
    // ClusterClient's node reaches the partition's next home through its region.
    private void Retry(ClientRequest request) => ToGateway(request);

    private void ToGateway(object message) =>
        _clusterClient.Tell(new ClusterClient.Send(NodeAddress.GatewayPath, message, localAffinity: PublishesIn(message)), Self);

    // A publish goes to the receptionist's own node, not a random one: one client's messages are then published
    // and relayed from one node in the order sent, and a retry meets the node that remembers its request id.
    private static bool PublishesIn(object message) => message switch
    {
        ClientRequest { Command: PublishMessage } => true,
        ClientRequestBatch batch => Array.Exists(batch.Requests, r => r.Command is PublishMessage),
        _ => false,
    };

    private void Complete(ClientResponse response) => _pending.Complete(response);

    private void FailExpired() => _pending.Sweep(Retry, request => new DistCacheTimeoutException(
        $"{Describe(request.Command)} got no reply within {_timeout.TotalMilliseconds:0} ms from the cluster " +
        $"(contact points {string.Join(", ", _entry.ContactPoints)}; {_book.LearnedCount} more nodes learned)"));

    private static string Describe(IClientCommand command) => command switch
    {
        SetValue c => $"SET '{c.Key}'",
        GetValue c => $"GET '{c.Key}'",
        DeleteKey c => $"DEL '{c.Key}'",
        KeyExists c => $"EXISTS '{c.Key}'",
        IncrementBy c => $"INCRBY '{c.Key}'",
        ICacheCommand c => $"{c.GetType().Name} '{c.Key}'",
        MultiGet c => $"MGET of {c.Keys.Length} keys",
        MultiSet c => $"MSET of {c.Entries.Length} keys",
        _ => command.GetType().Name,
    };

    /// <summary>A command to send; <see cref="RequestId"/> set by the caller (a blocking call it may have to stop), else chosen here;
    /// <see cref="TraceParent"/> the caller's span when traced.</summary>
    internal sealed record Outgoing(IClientCommand Command, TaskCompletionSource<ICacheReply> Completion, Guid RequestId = default,
        string? TraceParent = null);

    /// <summary>A message for whichever node's gateway the ClusterClient reaches now, whose answers go to
    /// <paramref name="ReplyTo"/> (another of the client's actors: its subscriptions, its near cache).</summary>
    internal sealed record ViaCluster(object Message, IActorRef ReplyTo);

    /// <summary>What the configured contact points resolved to, as <c>host:port</c>.</summary>
    private sealed record ContactsResolved(string[] Endpoints);

    /// <summary>Asks which nodes the client would enter through now (answered with <see cref="KnownContacts"/>); for tests and diagnostics.</summary>
    internal sealed class DescribeContacts
    {
        public static readonly DescribeContacts Instance = new();
    }

    /// <summary>The nodes' addresses, and how many ClusterClients this client has started.</summary>
    internal sealed record KnownContacts(string[] Nodes, int ClusterClients);

    private sealed class Heartbeat
    {
        public static readonly Heartbeat Instance = new();
    }

    private sealed class FlushOutbox
    {
        public static readonly FlushOutbox Instance = new();
    }

    /// <summary>Asks how many owner gateways are resolved (answered with an int); for tests and diagnostics.</summary>
    internal sealed class CountOwnerGateways
    {
        public static readonly CountOwnerGateways Instance = new();
    }

    private sealed class RefreshOwners
    {
        public static readonly RefreshOwners Instance = new();
    }

    private sealed class Sweep
    {
        public static readonly Sweep Instance = new();
    }
}
