using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Client;
using DistCache.Actors.Gateway;
using DistCache.Actors.Monitoring;
using DistCache.Actors.Partitions;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Cluster;

/// <summary>One running DistCache node: the actor system, the partition shard region and the gateway
/// clients reach through the ClusterClientReceptionist.</summary>
public sealed class DistCacheNode : IAsyncDisposable
{
    public const string PartitionTypeName = "partition";

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

        var system = ActorSystem.Create(NodeConfigBuilder.SystemName, WireConfig.Setup(config));
        try
        {
            var partitionSettings = settings.PartitionSettings;
            var recovery = new RecoveryTracker(settings.Partitions);
            var metrics = new NodeMetrics();
            var sharding = ClusterSharding.Get(system);
            var shardingSettings = ClusterShardingSettings.Create(system);
            var region = sharding.Start(
                PartitionTypeName,
                entityId => PartitionActor.Props(entityId, partitionSettings, recovery, metrics: metrics),
                shardingSettings,
                new PartitionMessageExtractor(settings.Partitions, settings.Shards),
                sharding.DefaultShardAllocationStrategy(shardingSettings),
                StopPartition.Instance);

            var gateway = system.ActorOf(GatewayActor.Props(region, settings.Limits, description, settings.Shards, metrics, settings.ClientTimeout), GatewayActor.Name);
            ClusterClientReceptionist.Get(system).RegisterService(gateway);

            // Seeds are joined here rather than from configuration, after checking they run the same data.
            var seeds = options.Seeds.Count > 0
                ? NodeConfigBuilder.SeedAddresses(options)
                : [Akka.Cluster.Cluster.Get(system).SelfAddress];
            JoinGuard.CheckAsync(system, seeds, description).GetAwaiter().GetResult();
            Akka.Cluster.Cluster.Get(system).JoinSeedNodes(seeds);

            system.ActorOf(ClusterEventLogger.Props(), "cluster-events");
            var node = new DistCacheNode(system, settings, region, recovery, metrics, gateway);
            Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() =>
            {
                PartitionStarter.StartAll(region, settings.Partitions);
                node._up.TrySetResult();
            });
            return node;
        }
        catch
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            throw;
        }
    }

    /// <summary>Leaves the cluster gracefully: shards hand off, then the system stops.</summary>
    public Task ShutdownAsync() =>
        CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);

    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);
}
