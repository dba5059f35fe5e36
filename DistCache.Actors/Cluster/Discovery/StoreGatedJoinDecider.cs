using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Management.Cluster.Bootstrap;

namespace DistCache.Actors.Cluster.Discovery;

/// <summary>Cluster Bootstrap's join decider for DistCache: Akka's lowest-address rule decides when discovery
/// has seen enough nodes, and the store every node shares decides who forms. A self-join goes through the
/// store's lock (as <see cref="ClusterFormation"/> does): if any live node of the store is already a member,
/// this node joins it instead, so two bootstraps that cannot see each other still never form two clusters on
/// one journal. A cluster found through discovery is checked like a --seed (<see cref="JoinGuard"/>) and
/// refused if it uses another store or partition count.</summary>
public sealed class StoreGatedJoinDecider : LowestAddressJoinDecider
{
    private readonly ActorSystem _system;
    private readonly ILoggingAdapter _log;

    public StoreGatedJoinDecider(ActorSystem system, ClusterBootstrapSettings settings) : base(system, settings)
    {
        _system = system;
        _log = Logging.GetLogger(system, typeof(StoreGatedJoinDecider));
    }

    public override async Task<IJoinDecision> Decide(SeedNodesInformation info)
    {
        var decision = await base.Decide(info);
        var gate = FormationGate.Of(_system);
        switch (decision)
        {
            case JoinSelf:
            {
                var members = await gate.Store.FormOrFindMembersAsync(gate.Lease.Writer);
                gate.Open();
                if (members.Count == 0)
                {
                    _log.Info("event=cluster-forming: discovery chose this node and no live node of this store is a cluster member; forming a new cluster");
                    gate.Lease.MarkUp(); // the store already says so; the next renewal must not take it back
                    return decision;
                }
                _log.Info("event=cluster-joining members={0}: discovery chose this node to form a cluster, but the store has live members; joining them",
                    string.Join(",", members.Order(StringComparer.Ordinal)));
                var protocol = Akka.Cluster.Cluster.Get(_system).SelfAddress.Protocol;
                return new JoinOtherSeedNodes(members.Select(m => ClusterFormation.ToAddress(m, protocol)).ToImmutableHashSet());
            }
            case JoinOtherSeedNodes others:
                try
                {
                    await JoinGuard.CheckAsync(_system, others.SeedNodes, gate.Description);
                }
                catch (ConfigurationException ex)
                {
                    gate.Refuse(ex.Message);
                    return KeepProbing.Instance;
                }
                gate.Open();
                return decision;
            default:
                return decision;
        }
    }
}
