using Akka.Actor;
using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Actors.Gateway;
using DistCache.Tests.Support;

namespace DistCache.Tests.Security;

/// <summary>A stranger on the cluster port: a plain Akka.Remote system (no DistCache configuration, Akka's
/// JSON serializer as shipped) that sends a node messages under serializer ids other than DistCache's.</summary>
[Collection(NodeCollection.Name)]
public sealed class ForeignPeerTests(NodeFixture node) : Akka.TestKit.Xunit2.TestKit(Peer)
{
    private static readonly Config Peer = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.actor {
          serializers.forged-proto = "DistCache.Tests.Security.ForgedSerializer, DistCache.Tests"
          serialization-settings.forged-proto.id = 2
          serialization-bindings { "DistCache.Tests.Security.ForgedMessage, DistCache.Tests" = forged-proto }
        }
        """);

    [Fact]
    public async Task A_peer_naming_a_type_through_json_or_protobuf_ids_creates_nothing_and_the_node_keeps_serving()
    {
        var gateway = Sys.ActorSelection($"akka.tcp://{NodeConfigBuilder.SystemName}@127.0.0.1:{node.Port}/user/{GatewayActor.Name}");
        var target = (await gateway.Ask<ActorIdentity>(new Identify("before"), TimeSpan.FromSeconds(15))).Subject;
        Assert.NotNull(target);

        var probe = new InstantiationProbe { Note = "created on the node" };
        var before = InstantiationProbe.Effects;
        // System.Object's serializer here is Akka's JSON one: id 1 and a "$type" naming the probe.
        target.Tell(probe);
        // Id 2 (Akka.Remote's Protobuf serializer) with the probe's type as the manifest.
        target.Tell(new ForgedMessage(typeof(InstantiationProbe).AssemblyQualifiedName!, []));

        // One association delivers in order, and the node deserializes as it reads: once this answer is
        // back, both messages above were read.
        var after = await gateway.Ask<ActorIdentity>(new Identify("after"), TimeSpan.FromSeconds(15));
        Assert.Equal("after", after.MessageId);
        Assert.Equal(before, InstantiationProbe.Effects);

        await using var client = node.Connect(TimeSpan.FromSeconds(20));
        await client.SetAsync("after-the-stranger", 42);
        Assert.Equal(42, await client.GetAsync<int>("after-the-stranger"));
    }
}
