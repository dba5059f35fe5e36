using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Gateway;

/// <summary>The node's front door for clients, registered with the ClusterClientReceptionist. It rejects
/// requests that cannot be routed (a null or oversized key) and forwards the rest to the shard region,
/// keeping the client's tunnel as sender so the partition answers the client directly.</summary>
public sealed class GatewayActor : ReceiveActor
{
    public const string Name = "gateway";
    public const string Path = "/user/" + Name;

    public GatewayActor(IActorRef shardRegion, PartitionLimits limits, NodeDescription description, int shards)
    {
        var shardMap = new ShardMap();
        Context.ActorOf(ShardMapRefresher.Props(shardRegion, shardMap), "shard-map");

        Receive<DescribeNode>(_ => Sender.Tell(description));

        Receive<ClientRequest>(request =>
        {
            if (request.Command is null)
            {
                Sender.Tell(new ClientResponse(request.CorrelationId,
                    new Rejected(CacheErrorCode.InvalidKey, "ERR request has no command")));
                return;
            }
            if (CommandValidator.Validate(request.Command, limits) is { } rejected)
            {
                Sender.Tell(new ClientResponse(request.CorrelationId, rejected));
                return;
            }
            if (request.Command is IFanOutCommand)
            {
                Context.ActorOf(FanOutActor.Props(shardRegion, description.Partitions, shards, shardMap, request, Sender));
                return;
            }
            shardRegion.Forward(request);
        });
    }

    public static Props Props(IActorRef shardRegion, PartitionLimits limits, NodeDescription description, int shards) =>
        Akka.Actor.Props.Create(() => new GatewayActor(shardRegion, limits, description, shards));
}
