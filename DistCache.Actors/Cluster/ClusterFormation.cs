using Akka.Actor;
using Akka.Event;
using DistCache.Actors.Fencing;

namespace DistCache.Actors.Cluster;

/// <summary>Decides, through the store every node shares, whether this node forms a new cluster or joins
/// the one already using the store. A node forms a cluster only when no live node of the store is a member
/// of one, and that decision is taken under the store's lock, so two clusters never serve one journal
/// however the seeds are listed (a restarted first seed joins the others instead of forming its own).
/// Until this node is Up it looks again every second: members whose leases lapse (killed nodes) stop
/// counting, and the first node to find none forms the cluster.</summary>
public static class ClusterFormation
{
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StuckWarningEvery = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(ActorSystem system, FenceStore store, NodeLease lease)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var log = Logging.GetLogger(system, typeof(ClusterFormation));
        var joining = "";
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        var warned = TimeSpan.Zero;
        while (!system.WhenTerminated.IsCompleted && !IsMember(cluster))
        {
            IReadOnlyList<string> members;
            try
            {
                members = await store.FormOrFindMembersAsync(lease.Writer);
            }
            catch (Exception ex)
            {
                log.Warning("event=formation-check-failed reason={0}", ex.Message);
                await Task.Delay(Recheck);
                continue;
            }

            if (members.Count == 0)
            {
                log.Info("event=cluster-forming: no live node of this store is a cluster member; forming a new cluster");
                lease.MarkUp(); // the store already says so; the next renewal must not take it back
                cluster.Join(cluster.SelfAddress);
                return;
            }

            var seeds = string.Join(",", members.Order(StringComparer.Ordinal));
            if (seeds != joining)
            {
                joining = seeds;
                log.Info("event=cluster-joining members={0}: joining the cluster that uses this store", seeds);
                cluster.JoinSeedNodes(members.Select(m => ToAddress(m, cluster.SelfAddress.Protocol)).Where(a => a != cluster.SelfAddress));
            }
            if (waiting.Elapsed - warned >= StuckWarningEvery)
            {
                warned = waiting.Elapsed;
                log.Warning("event=cluster-join-waiting members={0} seconds={1:0}: the journal database is in use by these live members, and this node " +
                    "will not form a second cluster on it. Make sure this node can reach them (--host, --port, firewalls), or stop them first.",
                    seeds, waiting.Elapsed.TotalSeconds);
            }
            await Task.Delay(Recheck);
        }
    }

    private static bool IsMember(Akka.Cluster.Cluster cluster) =>
        cluster.SelfMember.Status is not Akka.Cluster.MemberStatus.Removed;

    /// <summary>A member's address as the store records it (host:port), in this node's scheme
    /// (<paramref name="protocol"/>: akka.tcp, or akka.ssl.tcp under TLS).</summary>
    public static Address ToAddress(string hostPort, string protocol) =>
        NodeConfigBuilder.TryParseHostPort(hostPort, out var host, out var port)
            ? new Address(protocol, NodeConfigBuilder.SystemName, host, port)
            : throw new FormatException($"'{hostPort}' is not host:port");
}
