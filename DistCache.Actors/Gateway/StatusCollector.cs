using Akka.Actor;
using Akka.Cluster;
using DistCache.Protocol;

namespace DistCache.Actors.Gateway;

/// <summary>Answers one `status` request: asks every member's gateway for its figures (a member that does
/// not answer within 2 s is shown without them) and combines them with the cluster's own view of each
/// member's status and reachability.</summary>
public sealed class StatusCollector : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly Dictionary<Address, NodeStatus> _answers = new();
    private readonly Member[] _members;
    private readonly HashSet<Address> _unreachable;
    private readonly long _correlationId;
    private readonly IActorRef _replyTo;
    private readonly int _partitions;
    private readonly int _shards;

    public StatusCollector(long correlationId, IActorRef replyTo, int partitions, int shards)
    {
        _partitions = partitions;
        _shards = shards;
        _correlationId = correlationId;
        _replyTo = replyTo;
        var state = Akka.Cluster.Cluster.Get(Context.System).State;
        _members = state.Members.Where(m => m.Status != MemberStatus.Removed).ToArray();
        _unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();

        Receive<NodeStatus>(status =>
        {
            _answers[Sender.Path.Address.HasGlobalScope ? Sender.Path.Address : Akka.Cluster.Cluster.Get(Context.System).SelfAddress] = status;
            if (_answers.Count >= _members.Length)
                Finish();
        });
        Receive<Done>(_ => Finish());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(long correlationId, IActorRef replyTo, int partitions, int shards) =>
        Akka.Actor.Props.Create(() => new StatusCollector(correlationId, replyTo, partitions, shards));

    protected override void PreStart()
    {
        if (_members.Length == 0)
        {
            Finish();
            return;
        }
        foreach (var member in _members)
            Context.ActorSelection(new RootActorPath(member.Address) / "user" / GatewayActor.Name).Tell(GetNodeStatus.Instance);
        Timers.StartSingleTimer("timeout", Done.Instance, Timeout);
    }

    private void Finish()
    {
        var rows = _members.Select(m => _answers.TryGetValue(m.Address, out var s)
                ? new NodeRow(Format(m.Address), m.Status.ToString(), !_unreachable.Contains(m.Address), true, s.Partitions, s.Keys, s.Bytes, s.OperationsPerSecond)
                : new NodeRow(Format(m.Address), m.Status.ToString(), !_unreachable.Contains(m.Address), false, 0, 0, 0, 0))
            .OrderBy(r => r.Address, StringComparer.Ordinal)
            .ToArray();
        var clients = _answers.Values.SelectMany(a => a.Clients)
            .GroupBy(c => c.Id).Select(g => g.OrderByDescending(c => c.LastSeenUnixMs).First())
            .OrderBy(c => c.Address, StringComparer.Ordinal)
            .ToArray();
        var (balanced, balance) = ShardBalance.Describe(_partitions, _shards,
            rows.Where(r => r.Answered && r.Status == nameof(MemberStatus.Up)).Select(r => r.Partitions).ToArray());
        _replyTo.Tell(new ClientResponse(_correlationId, new ClusterStatus(rows, clients, balanced, balance)));
        Context.Stop(Self);
    }

    private static string Format(Address address) => $"{address.Host}:{address.Port}";

    private sealed class Done
    {
        public static readonly Done Instance = new();
    }
}
