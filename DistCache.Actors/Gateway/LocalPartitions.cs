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
    private readonly IActorRef?[] _hosted = new IActorRef?[partitions];

    /// <summary>The partition's actor has started here (it recovers, claims, then serves): the node's shard region
    /// holds requests for it until it serves.</summary>
    public void Hosting(int partition, IActorRef actor) => Volatile.Write(ref _hosted[partition], actor);

    public void Serving(int partition, IActorRef actor) => Volatile.Write(ref _serving[partition], actor);

    /// <summary>Only the registered incarnation unregisters, so a late stop of an old one leaves its successor.</summary>
    public void Stopping(int partition, IActorRef actor)
    {
        Interlocked.CompareExchange(ref _serving[partition], null, actor);
        Interlocked.CompareExchange(ref _hosted[partition], null, actor);
    }

    /// <summary>Whether the partition lives on this node, serving or still starting: a Redis Cluster client sent
    /// here for it is served here (through the region) rather than sent back by a shard map that has not seen the
    /// move yet, since StackExchange.Redis follows one redirect per command.</summary>
    public bool Hosts(int partition) => (uint)partition < (uint)_hosted.Length && Volatile.Read(ref _hosted[partition]) is not null;

    public IActorRef? Find(int partition) => (uint)partition < (uint)_serving.Length ? Volatile.Read(ref _serving[partition]) : null;
}
