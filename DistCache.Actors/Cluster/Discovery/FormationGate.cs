using Akka.Actor;
using Akka.Event;
using DistCache.Actors.Fencing;
using DistCache.Protocol;

namespace DistCache.Actors.Cluster.Discovery;

/// <summary>What the join decider needs from the node it runs in (Akka creates the decider by reflection):
/// the store that decides who forms, this node's lease and description; and the gate itself. Until discovery
/// has reached a join decision, the store-based formation loop stays shut, so a node never forms a cluster
/// before required-contact-points nodes have been seen; once open, that loop keeps the node joining whoever
/// the store says is live, as a node without discovery does.</summary>
public sealed class FormationGate : IExtension
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorSystem _system;

    public FormationGate(ActorSystem system, FenceStore store, NodeLease lease, NodeDescription description)
    {
        _system = system;
        Store = store;
        Lease = lease;
        Description = description;
    }

    public FenceStore Store { get; }
    public NodeLease Lease { get; }
    public NodeDescription Description { get; }

    /// <summary>Completes once discovery has decided to join (itself or others).</summary>
    public Task Opened => _opened.Task;

    /// <summary>Why the node refused to join what discovery found (it then stops), else null.</summary>
    public string? Refusal { get; private set; }

    public void Open() => _opened.TrySetResult();

    /// <summary>Stops the node: discovery found a cluster this node must not join (another store or partition count).</summary>
    public void Refuse(string reason)
    {
        Refusal ??= reason;
        Logging.GetLogger(_system, typeof(FormationGate)).Error("event=discovery-join-refused: {0}", reason);
        _ = CoordinatedShutdown.Get(_system).Run(Refused.Instance);
    }

    public static FormationGate Of(ActorSystem system) => system.GetExtension<FormationGate>()
        ?? throw new InvalidOperationException("FormationGate is registered by DistCacheNode before Cluster Bootstrap starts");

    /// <summary>Registers <paramref name="gate"/> as <paramref name="system"/>'s extension.</summary>
    public static void Register(ActorSystem system, FormationGate gate) => system.RegisterExtension(new Id(gate));

    private sealed class Id(FormationGate gate) : ExtensionIdProvider<FormationGate>
    {
        public override FormationGate CreateExtension(ExtendedActorSystem system) => gate;
    }

    private sealed class Refused : CoordinatedShutdown.Reason
    {
        public static readonly Refused Instance = new();

        public override int ExitCode => 2;
    }
}
