using Akka.Actor;
using Akka.Cluster.Sharding;

namespace DistCache.Actors.Gateway;

/// <summary>Keeps a <see cref="ShardMap"/> current by asking the cluster where shards live every few seconds,
/// and at once when its gateway met a request for a partition that is not where the map said
/// (<see cref="RefreshShardMapNow"/>): one question in flight at a time. Tells its parent each new map.</summary>
public sealed class ShardMapRefresher : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private bool _asking;
    private long _askedAt;

    public ShardMapRefresher(IActorRef region, ShardMap map)
    {
        Receive<Refresh>(_ => Ask(region));
        Receive<RefreshShardMapNow>(_ => Ask(region));
        Receive<ClusterShardingStats>(stats =>
        {
            _asking = false;
            map.Update(stats.Regions
                .Where(r => !r.Value.Failed.Any())
                .Select(r => KeyValuePair.Create(r.Key, r.Value.Stats.Keys.AsEnumerable())));
            Context.Parent.Tell(ShardMapUpdated.Instance);
        });
        Receive<Status.Failure>(_ => _asking = false);
    }

    private void Ask(IActorRef region)
    {
        // A question the coordinator never answered (it was moving) does not block the next one for long.
        if (_asking && Environment.TickCount64 - _askedAt < 2 * Interval.TotalMilliseconds)
            return;
        _asking = true;
        _askedAt = Environment.TickCount64;
        // Answered within the timeout given, by every region that answered in time. A node that is stopping
        // asks another member's region: its own is handing its shards off and stopping, and the map must
        // follow the hand-offs (its Redis port redirects by it until the end).
        if (CoordinatedShutdown.Get(Context.System).ShutdownReason is not null && AnotherRegion(region) is { } other)
            other.Tell(new GetClusterShardingStats(Interval));
        else
            region.Tell(new GetClusterShardingStats(Interval));
    }

    private ActorSelection? AnotherRegion(IActorRef region)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        var other = cluster.State.Members.FirstOrDefault(m => m.Status == Akka.Cluster.MemberStatus.Up && m.Address != cluster.SelfAddress);
        return other is null ? null : Context.ActorSelection(new RootActorPath(other.Address) / region.Path.Elements);
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

/// <summary>Ask the cluster where shards live now, not at the next tick.</summary>
public sealed class RefreshShardMapNow
{
    public static readonly RefreshShardMapNow Instance = new();
}

/// <summary>The shard map was just replaced.</summary>
public sealed class ShardMapUpdated
{
    public static readonly ShardMapUpdated Instance = new();
}
