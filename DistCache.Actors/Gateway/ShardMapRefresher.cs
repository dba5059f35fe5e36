using Akka.Actor;
using Akka.Cluster.Sharding;

namespace DistCache.Actors.Gateway;

/// <summary>Keeps a <see cref="ShardMap"/> current by asking the cluster where shards live every few seconds.</summary>
public sealed class ShardMapRefresher : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public ShardMapRefresher(IActorRef region, ShardMap map)
    {
        Receive<Refresh>(_ => region.Tell(new GetClusterShardingStats(Interval)));
        Receive<ClusterShardingStats>(stats => map.Update(stats.Regions
            .Where(r => !r.Value.Failed.Any())
            .Select(r => KeyValuePair.Create(r.Key, r.Value.Stats.Keys.AsEnumerable()))));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef region, ShardMap map) =>
        Akka.Actor.Props.Create(() => new ShardMapRefresher(region, map));

    protected override void PreStart() => Timers.StartPeriodicTimer("refresh", Refresh.Instance, TimeSpan.Zero, Interval);

    private sealed class Refresh
    {
        public static readonly Refresh Instance = new();
    }
}
