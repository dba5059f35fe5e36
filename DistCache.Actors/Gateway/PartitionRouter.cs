using Akka.Actor;
using DistCache.Actors.Dispatch;

namespace DistCache.Actors.Gateway;

/// <summary>Where a node sends a message for one partition: straight to the partition when it serves here
/// (one actor message instead of region → shard → partition), else to the shard region, which finds its home.
/// The one router of the gateway (client requests) and the Redis endpoint's request sinks.</summary>
public sealed class PartitionRouter(LocalPartitions local, IActorRef region)
{
    /// <summary>Sends <paramref name="message"/> (a request or a group of one partition's requests) with
    /// <paramref name="replyTo"/> as sender; true when it went to a partition serving here. <paramref name="direct"/>
    /// false: through the region whatever this node holds (a retry, whose partition may have just moved).
    /// <paramref name="inline"/>: an idle local partition may run on the caller's thread (<see cref="CallerRuns"/>).</summary>
    public bool Send(object message, int partition, IActorRef replyTo, bool direct = true, bool inline = false)
    {
        if (direct && local.Find(partition) is { } actor)
        {
            if (inline)
            {
                using (CallerRuns.Allow())
                    actor.Tell(message, replyTo);
            }
            else
                actor.Tell(message, replyTo);
            return true;
        }
        region.Tell(message, replyTo);
        return false;
    }
}
