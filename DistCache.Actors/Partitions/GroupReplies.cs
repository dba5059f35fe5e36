using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Where a partition answers the requests of one <see cref="PartitionRequests"/> message: the
/// replies given while the message is handled are held and sent to the requester as one
/// <see cref="ClientResponseBatch"/> (one remote message instead of one per key); a reply given later (after
/// a journal write) goes straight through. Used on the partition's own thread only.</summary>
internal sealed class GroupReplies(IActorRef requester, ActorSystem system) : MinimalActorRef
{
    private List<ClientResponse>? _held = [];

    public override ActorPath Path => requester.Path;

    public override IActorRefProvider Provider { get; } = ((ExtendedActorSystem)system).Provider;

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (_held is not null && message is ClientResponse response)
            _held.Add(response);
        else
            requester.Tell(message, sender);
    }

    /// <summary>Sends what was held; from now on replies go straight to the requester.</summary>
    public void Send()
    {
        var held = _held!;
        _held = null;
        if (held.Count == 1)
            requester.Tell(held[0]);
        else if (held.Count > 1)
            requester.Tell(new ClientResponseBatch(held.ToArray()));
    }
}
