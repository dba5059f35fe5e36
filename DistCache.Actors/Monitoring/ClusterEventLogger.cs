using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace DistCache.Actors.Monitoring;

/// <summary>One structured log line per membership change seen by this node: joined, left, unreachable,
/// reachable again, downed, removed.</summary>
public sealed class ClusterEventLogger : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ClusterEventLogger()
    {
        Receive<ClusterEvent.MemberUp>(e => _log.Info("event=member-joined member={0}", e.Member.Address));
        Receive<ClusterEvent.MemberLeft>(e => _log.Info("event=member-leaving member={0}", e.Member.Address));
        Receive<ClusterEvent.MemberExited>(e => _log.Info("event=member-left member={0}", e.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(e => _log.Info("event=member-removed member={0} previous-status={1}", e.Member.Address, e.PreviousStatus));
        Receive<ClusterEvent.UnreachableMember>(e => _log.Warning("event=member-unreachable member={0}", e.Member.Address));
        Receive<ClusterEvent.ReachableMember>(e => _log.Info("event=member-reachable member={0}", e.Member.Address));
        Receive<ClusterEvent.MemberDowned>(e => _log.Warning("event=member-downed member={0}", e.Member.Address));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new ClusterEventLogger());

    protected override void PreStart() => Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self,
        ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
        typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
