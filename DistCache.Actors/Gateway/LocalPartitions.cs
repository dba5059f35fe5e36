using Akka.Actor;

namespace DistCache.Actors.Gateway;

/// <summary>The partitions serving on this node, by number, so the node's own front ends (the Redis
/// endpoint) send a request straight to its partition instead of through the shard region and the shard.
/// A partition registers when it starts serving and unregisters first thing when it is told to stop. An
/// entry can still be stale for a moment: a stopping partition leaves a request unanswered, and the sender's
/// retry goes through the region to the partition's next home.</summary>
public sealed class LocalPartitions(int partitions)
{
    private readonly IActorRef?[] _serving = new IActorRef?[partitions];

    public void Serving(int partition, IActorRef actor) => Volatile.Write(ref _serving[partition], actor);

    /// <summary>Only the registered incarnation unregisters, so a late stop of an old one leaves its successor.</summary>
    public void Stopping(int partition, IActorRef actor) => Interlocked.CompareExchange(ref _serving[partition], null, actor);

    public IActorRef? Find(int partition) => (uint)partition < (uint)_serving.Length ? Volatile.Read(ref _serving[partition]) : null;
}
