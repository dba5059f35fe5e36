using DistCache.Actors.Notifications;
using DistCache.Actors.PubSub;
using DistCache.Wire;
using Akka.Actor;
using DistCache.Actors.Dispatch;
using Akka.Configuration;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Client;
using Akka.Event;
using DistCache.Actors.Fencing;
using DistCache.Actors.Cluster.Discovery;
using DistCache.Actors.Gateway;
using DistCache.Actors.Journal;
using DistCache.Actors.Monitoring;
using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Security;

namespace DistCache.Actors.Cluster;

/// <summary>One running DistCache node: the actor system, the partition shard region and the gateway
/// clients reach through the ClusterClientReceptionist.</summary>
public sealed class DistCacheNode : IAsyncDisposable
{
    public const string PartitionTypeName = "partition";

    /// <summary>The partitions' dispatcher (hocon/distcache.conf): runs an idle partition on a Redis connection's read loop.</summary>
    public const string PartitionDispatcher = "distcache.partition-dispatcher";

    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DistCacheNode(ActorSystem system, DistCacheSettings settings, IActorRef region, RecoveryTracker recovery, NodeMetrics metrics,
        IActorRef gateway)
    {
        Gateway = gateway;
        Metrics = metrics;
        System = system;
        Settings = settings;
        Region = region;
        Recovery = recovery;
    }

    public NodeMetrics Metrics { get; }

    /// <summary>The request path of the node's own front ends (the Redis endpoint): see <see cref="NodeRequests"/>.</summary>
    public NodeRequests Requests { get; private init; } = null!;

    /// <summary>The partitions serving on this node, by number.</summary>
    public LocalPartitions LocalPartitions { get; private init; } = null!;

    /// <summary>The node has begun to stop (a planned leave, SIGTERM, or being downed): its partitions are
    /// handing off or gone.</summary>
    public bool IsLeaving => CoordinatedShutdown.Get(System).ShutdownReason is not null;

    /// <summary>PUBLISH and SUBSCRIBE on this node, relayed to and from the others.</summary>
    public PubSubBroker PubSub { get; private init; } = null!;

    /// <summary>Who hears of this node's partitions' changes (keyspace notifications, invalidations).</summary>
    public KeyChanges Changes { get; private init; } = null!;

    /// <summary>Invalidations of keys changed anywhere in the cluster, for Redis connections tracking keys and near caches.</summary>
    public InvalidationHub Invalidations { get; private init; } = null!;
    /// <summary>notify-keyspace-events on this node (set cluster-wide by CONFIG SET).</summary>
    public KeyspaceNotifier KeyspaceEvents { get; private init; } = null!;

    /// <summary>Which node hosts each shard, as the gateway last heard (refreshed every 2 s).</summary>
    public ShardMap ShardMap { get; private init; } = null!;

    /// <summary>The store's id (<see cref="StoreGuard"/>): the same for every node of the cluster and across restarts.</summary>
    public string StoreId { get; private init; } = "";

    /// <summary>Formation by discovery, when on (distcache.discovery.method).</summary>
    private FormationGate? Gate { get; init; }

    /// <summary>Why discovery's cluster was refused (the node then stops), else null.</summary>
    public string? FormationRefusal => Gate?.Refusal;

    /// <summary>Which partitions have recovered on this node, and how many keys they hold.</summary>
    public RecoveryTracker Recovery { get; }

    public ActorSystem System { get; }
    public DistCacheSettings Settings { get; }
    public IActorRef Region { get; }

    /// <summary>The node's front door: validates, fans out and routes requests (see GatewayActor).</summary>
    public IActorRef Gateway { get; }

    /// <summary>Completes when this node is an Up member and has asked for all its partitions to start.</summary>
    public Task WhenUp => _up.Task;

    public Task WhenTerminated => System.WhenTerminated;

    public static DistCacheNode Start(NodeOptions options)
    {
        var (config, settings) = NodeConfigBuilder.Build(options);
        PortGuard.EnsureFree(options.Host, options.Port);
        var description = new NodeDescription(settings.Partitions, StoreGuard.Check(settings));

        var metrics = new NodeMetrics();
        var system = ActorSystem.Create(NodeConfigBuilder.SystemName, WireConfig.Setup(config, SqliteJournalConnections.SetupFor(settings), new JournalMetricsSetup(metrics),
            settings.Tls.OnCluster ? AkkaTls.Setup(settings.Tls.Material!) : null, BenignLogFilter.Setup()));
        // At once, beside start-up and recovery (about 7 % of a recovery's CPU): run after recovery instead,
        // the first requests of clients that were waiting met serializers still being compiled and timed out.
        _ = WireWarmUp.RunAsync(system);
        try
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            var store = new FenceStore(settings);
            var lease = TakeLease(system, store, settings);
            var fence = new PartitionFence(store, lease);

            var dispatcher = (InlineDispatcher)system.Dispatchers.Lookup(PartitionDispatcher);
            metrics.PartitionRuns = () => (dispatcher.RunsOnCaller, dispatcher.RunsOnPool);
            var partitionSettings = settings.PartitionSettings;
            var local = new LocalPartitions(settings.Partitions);
            var changes = new KeyChanges();
            var keyspace = new KeyspaceNotifier(settings.KeyspaceEvents);
            changes.Add(keyspace);
            var recovery = new RecoveryTracker(settings.Partitions);
            var sharding = ClusterSharding.Get(system);
            var shardingSettings = ClusterShardingSettings.Create(system);
            var region = sharding.Start(
                PartitionTypeName,
                entityId => PartitionActor.Props(entityId, partitionSettings, recovery, metrics: metrics, fence: fence, local: local, changes: changes)
                    .WithDispatcher(PartitionDispatcher),
                shardingSettings,
                new PartitionMessageExtractor(settings.Partitions, settings.Shards),
                sharding.DefaultShardAllocationStrategy(shardingSettings),
                StopPartition.Instance);

            var shardMap = new ShardMap();
            var gateway = system.ActorOf(GatewayActor.Props(region, local, settings.Limits, description, settings.Shards, metrics, settings.ClientTimeout, shardMap),
                GatewayActor.Name);
            ClusterClientReceptionist.Get(system).RegisterService(gateway);

            // The seeds named on the command line are checked for the same data; who forms the cluster
            // and who joins is decided through the store (ClusterFormation).
            if (options.Seeds.Count > 0)
            {
                var seeds = NodeConfigBuilder.SeedAddresses(options, settings.Tls.OnCluster);
                if (settings.Tls.OnCluster)
                    SeedTlsCheck.CheckAsync(seeds, cluster.SelfAddress, settings.Tls.Material!).GetAwaiter().GetResult();
                JoinGuard.CheckAsync(system, seeds, description).GetAwaiter().GetResult();
            }
            // Before joining: the other nodes send a newcomer's relays what they have (the last CONFIG SET of
            // notify-keyspace-events) as soon as it is up, and a message to an actor not yet started is lost.
            var pubSub = new PubSubBroker();
            pubSub.Start(system);
            keyspace.Start(system, pubSub);
            var invalidations = new InvalidationHub();
            changes.Add(invalidations);
            invalidations.Start(system);
            metrics.CountRegistrations("near-cache", () => invalidations.NearCaches);
            metrics.CountRegistrations("pubsub", () => pubSub.ClientLeases);
            FormationGate? gate = null;
            if (settings.Discovery.Enabled)
            {
                // Discovery says when (enough nodes seen); the store keeps saying who forms (StoreGatedJoinDecider).
                var discoveryGate = gate = new FormationGate(system, store, lease, description);
                FormationGate.Register(system, discoveryGate);
                _ = ManagementEndpoint.Start(system, settings, options.Host); // closed when the system terminates
                _ = FollowUpAsync();

                // Cluster Bootstrap issues the join it decided first; the store's loop then only follows up
                // (joining whoever the store says is live if that join goes nowhere).
                async Task FollowUpAsync()
                {
                    await discoveryGate.Opened;
                    await Task.Delay(ClusterFormation.Recheck);
                    await ClusterFormation.RunAsync(system, store, lease);
                }
            }
            else
                _ = ClusterFormation.RunAsync(system, store, lease);

            system.ActorOf(ClusterEventLogger.Props(), "cluster-events");
            var node = new DistCacheNode(system, settings, region, recovery, metrics, gateway)
            {
                LocalPartitions = local,
                ShardMap = shardMap,
                PubSub = pubSub,
                Changes = changes,
                Invalidations = invalidations,
                KeyspaceEvents = keyspace,
                StoreId = description.StoreId,
                Gate = gate,
                Requests = new NodeRequests(system, gateway, region, local, settings.Limits, settings.Partitions, settings.RequestTimeout,
                    new DistCache.Client.DistCacheClientOptions().RetryInterval, metrics),
            };
            // Once the partitions have recovered, one request walks the gateway → region → shard → partition
            // path, so the first client's request finds it compiled.
            _ = recovery.WhenAllRecovered.ContinueWith(
                _ => gateway.Ask<ClientResponse>(new ClientRequest(0, new GetValue("distcache:warm-up")), TimeSpan.FromSeconds(10)),
                TaskScheduler.Default);
            cluster.RegisterOnMemberUp(() =>
            {
                lease.MarkUp();
                PartitionStarter.StartAll(region, settings.Partitions);
                node._up.TrySetResult();
            });
            // Last, after the shards have handed off: the lease goes, so partitions that could not
            // release are claimable at once instead of after the lease.
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "drop-lease", async () =>
            {
                await lease.DisposeAsync();
                return Akka.Done.Instance;
            });
            system.WhenTerminated.ContinueWith(_ => lease.DisposeAsync().AsTask());
            system.WhenTerminated.ContinueWith(_ => metrics.Dispose(), TaskScheduler.Default);
            return node;
        }
        catch (Exception ex)
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            // A handshake failure stops the system under whatever step was running (JoinGuard's ask, say):
            // report the cause, not the step.
            if (ex is not (ConfigurationException or TlsHandshakeFailedException) && TlsHandshakeFailedException.Of(system) is { } tls)
                throw tls;
            throw;
        }
    }

    private static NodeLease TakeLease(ActorSystem system, FenceStore store, DistCacheSettings settings)
    {
        var probeId = "distcache-probe-" + Guid.NewGuid().ToString("N");
        system.ActorOf(Props.Create(() => new JournalWriterProbe(probeId)))
            .Ask<JournalWriterProbe.Written>(JournalWriterProbe.Write.Instance, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        var writer = store.ReadProbeWriterAsync(probeId).GetAwaiter().GetResult();
        store.EnsureSchemaAsync().GetAwaiter().GetResult();
        var log = Logging.GetLogger(system, typeof(NodeLease));
        var lease = new NodeLease(store, writer, settings.Lease, reason => log.Warning("event=lease-lapsed: {0}", reason));
        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        lease.AcquireAsync($"{self.Host}:{self.Port}").GetAwaiter().GetResult();
        return lease;
    }

    /// <summary>Leaves the cluster gracefully: shards hand off, then the system stops.</summary>
    public Task ShutdownAsync() =>
        CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);

    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);
}
