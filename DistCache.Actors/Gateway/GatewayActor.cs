using DistCache.Wire;
using Akka.Actor;
using DistCache.Actors.Dispatch;
using DistCache.Actors.Monitoring;
using DistCache.Actors.Partitions;
using DistCache.Actors.PubSub;
using DistCache.Protocol;
using DistCache.Telemetry;

namespace DistCache.Actors.Gateway;

/// <summary>The node's front door for clients, registered with the ClusterClientReceptionist. It rejects
/// requests that cannot be routed (a null or oversized key) and sends the rest straight to their partition
/// when it serves on this node (see <see cref="LocalPartitions"/>), else to the shard region, keeping the
/// client (or its tunnel) as sender so the partition answers the client directly. A batch of
/// requests is answered through a <see cref="ReplyBatcher"/>, so its replies travel back together too;
/// a lone request runs an idle local partition on the gateway's own thread (<see cref="CallerRuns"/>).</summary>
public sealed class GatewayActor : ReceiveActor, IWithTimers
{
    private readonly ClientRegistry _clients;
    private readonly NodeMetrics _metrics;
    private long _lastOperations;
    private double _operationsPerSecond;

    public const string Name = NodeAddress.GatewayName;
    public const string Path = NodeAddress.GatewayPath;

    public GatewayActor(IActorRef shardRegion, LocalPartitions local, PartitionLimits limits, NodeDescription description, int shards,
        NodeMetrics metrics, TimeSpan clientTimeout, ShardMap? map = null)
    {
        var shardMap = map ?? new ShardMap();
        var refresher = Context.ActorOf(ShardMapRefresher.Props(shardRegion, shardMap), "shard-map");
        var router = new PartitionRouter(local, shardRegion);
        _metrics = metrics;
        _clients = new ClientRegistry(clientTimeout, TimeProvider.System);
        metrics.ConnectedClients = () => Volatile.Read(ref _connected);
        metrics.CountRegistrations("heartbeat", () => Volatile.Read(ref _known));
        // Pub/sub is the node's, not a partition's: leases and publishes go to the node's client pub/sub actor.
        var clientPubSub = Context.ActorSelection(ClientSubscriptionsActor.Path);
        Receive<ClientSubscriptions>(lease => clientPubSub.Tell(lease, Sender));

        // A near cache's lease and ping, for this node's relay, which answers the client (its tunnel) directly.
        var invalidations = Context.ActorSelection("/user/" + Notifications.InvalidationRelay.Name);
        Receive<NearCachePing>(ping => invalidations.Tell(ping, Sender));
        Receive<ClientHeartbeat>(heartbeat =>
        {
            _clients.Heard(heartbeat);
            Sender.Tell(new HeartbeatAck(MemberAddresses()));
        });
        Receive<GetNodeStatus>(_ => Sender.Tell(new NodeStatus(
            Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString(), _metrics.Partitions, _metrics.Keys, _metrics.Bytes,
            _operationsPerSecond, _clients.Snapshot())));
        Receive<Tick>(_ =>
        {
            var total = _metrics.TotalOperations;
            _operationsPerSecond = total - _lastOperations;
            _lastOperations = total;
            _clients.Snapshot();
            Volatile.Write(ref _connected, _clients.Connected);
            Volatile.Write(ref _known, _clients.Known);
        });

        Receive<DescribeNode>(_ => Sender.Tell(description));
        Receive<GetPartitionOwners>(_ => Sender.Tell(PartitionOwnerTable.Build(shardMap, description.Partitions, shards)));
        // Clients that sent a request here for a partition served elsewhere learn the owners from the next map,
        // instead of from their next poll.
        Receive<ShardMapUpdated>(_ =>
        {
            if (_missed.Count == 0)
                return;
            var owners = PartitionOwnerTable.Build(shardMap, description.Partitions, shards);
            foreach (var client in _missed)
                client.Tell(owners);
            _missed.Clear();
        });

        // A lone request (or a batch of one) runs its partition on the gateway's thread when the partition is
        // idle and is answered straight to the client: two hand-offs on the node (gateway, remote writer) instead
        // of five (gateway, partition, reply batcher, its flush, remote writer). A larger batch keeps the
        // partitions on the pool, where they work in parallel instead of one after another behind the gateway.
        Receive<ClientRequest>(request => Route(request, Sender, Sender, inline: true));
        Receive<TracedRequest>(traced => Route(traced.Request, Sender, Sender, inline: true, traced.TraceParent));
        Receive<ClientRequestBatch>(batch =>
        {
            if (batch.Requests.Length == 1)
            {
                Route(batch.Requests[0], Sender, Sender, inline: true);
                return;
            }
            var replies = BatcherFor(Sender);
            foreach (var request in batch.Requests)
                Route(request, replies, Sender, inline: false);
        });
        Receive<Terminated>(t =>
        {
            if (_batcherClients.Remove(t.ActorRef, out var client))
                _batchers.Remove(client);
        });

        string[] MemberAddresses() => Akka.Cluster.Cluster.Get(Context.System).State.Members
            .Where(m => m.Status is Akka.Cluster.MemberStatus.Up or Akka.Cluster.MemberStatus.WeaklyUp)
            .Select(m => m.Address.ToString()).ToArray();

        void Route(ClientRequest request, IActorRef replyTo, IActorRef client, bool inline, string? traceParent = null)
        {
            if (CommandValidator.Validate(request.Command, limits, description.Partitions) is { } rejected)
            {
                replyTo.Tell(new ClientResponse(request.CorrelationId, rejected));
                return;
            }
            if (request.Command is PublishMessage)
            {
                clientPubSub.Tell(request, replyTo);
                return;
            }
            if (request.Command is GetClusterStatus)
            {
                Context.ActorOf(StatusCollector.Props(request.CorrelationId, replyTo, description.Partitions, shards));
                return;
            }
            if (request.Command is IFanOutCommand)
            {
                Context.ActorOf(FanOutActor.Props(shardRegion, description.Partitions, shards, shardMap, request, replyTo));
                return;
            }
            // The key is hashed here, once; whatever partition a client wrote in the request is not trusted.
            if (request.Command is not ICacheCommand keyed)
            {
                shardRegion.Tell(request, replyTo);
                return;
            }
            request = request with { Partition = KeyHasher.PartitionOf(keyed.Key, description.Partitions) };
            // A traced request: the partition's span becomes a child of the gateway's.
            var span = NodeTelemetry.IsListening && traceParent is not null
                ? NodeTelemetry.StartGateway(traceParent, request.Command.GetType().Name, request.Partition, _selfAddress ??= ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString())
                : null;
            // A partition unregisters first thing when it stops, so a stale entry only loses a request in
            // flight, and the client's retry (same request id) goes through the region to the partition's next home.
            var served = router.Send(span?.Id is { } spanId ? new TracedRequest(request, spanId) : request, request.Partition, replyTo, inline: inline);
            metrics.GatewayRequest(local: served);
            if (span is not null)
            {
                span.SetTag(DistCacheTelemetry.RouteAttribute, served ? "local" : "forwarded");
                NodeTelemetry.Stop(span);
            }
            if (served)
                return;
            // Only clients keep an owner table; the node's own front ends (local references) have none.
            if (client.Path.Address.HasGlobalScope && _missed.Count < MaxMissedClients && _missed.Add(client) && _missed.Count == 1)
                refresher.Tell(RefreshShardMapNow.Instance);
        }
    }

    // Senders of requests for partitions served elsewhere since the last map (bounded: a flood of strangers
    // cannot grow it; those left out learn at their next poll).
    private readonly HashSet<IActorRef> _missed = [];
    private const int MaxMissedClients = 1024;

    private readonly Dictionary<IActorRef, IActorRef> _batchers = new();
    private readonly Dictionary<IActorRef, IActorRef> _batcherClients = new();

    // One reply batcher per client tunnel; it ends with the tunnel.
    private IActorRef BatcherFor(IActorRef client)
    {
        if (_batchers.TryGetValue(client, out var batcher))
            return batcher;
        batcher = Context.ActorOf(ReplyBatcher.Props(client));
        Context.Watch(batcher);
        _batchers[client] = batcher;
        _batcherClients[batcher] = client;
        return batcher;
    }

    private int _connected;
    private int _known;

    // Set at the first traced request: a span attribute.
    private string? _selfAddress;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("tick", Tick.Instance, TimeSpan.FromSeconds(1));

    public static Props Props(IActorRef shardRegion, LocalPartitions local, PartitionLimits limits, NodeDescription description, int shards,
        NodeMetrics metrics, TimeSpan clientTimeout, ShardMap? map = null) =>
        Akka.Actor.Props.Create(() => new GatewayActor(shardRegion, local, limits, description, shards, metrics, clientTimeout, map));

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
