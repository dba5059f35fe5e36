using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.Util;
using DistCache.Actors.Cluster;
using DistCache.Client;
using DistCache.Wire;
using Google.Protobuf.WellKnownTypes;

namespace DistCache.Tests.Security;

/// <summary>A node's serialization (its whole wire configuration, on a remoting actor system that joins no
/// cluster): Akka's serializers that would create a type a peer names are replaced or refused.</summary>
public sealed class RefusedSerializersTests : Akka.TestKit.Xunit2.TestKit
{
    public RefusedSerializersTests()
        : base(WireConfig.Setup(ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            """).WithFallback(HoconResources.NodeWire(1024))))
    {
    }

    [Fact]
    public void Serializer_id_1_refuses_a_json_type_name_without_creating_it()
    {
        var probe = new InstantiationProbe { Note = "sent" };
        // The bytes Akka's JSON serializer sends, and proof that they work on a system that still has it.
        var akkaJson = new NewtonSoftJsonSerializer((ExtendedActorSystem)Sys);
        var bytes = akkaJson.ToBinary(probe);
        Assert.Contains("\"$type\"", System.Text.Encoding.UTF8.GetString(bytes));
        var before = InstantiationProbe.Effects;
        Assert.IsType<InstantiationProbe>(akkaJson.FromBinary(bytes, typeof(object)));
        Assert.True(InstantiationProbe.Effects > before);

        before = InstantiationProbe.Effects;
        var manifest = typeof(InstantiationProbe).AssemblyQualifiedName!;
        var refused = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(bytes, RefusingJsonSerializer.SerializerId, manifest));
        Assert.StartsWith("Refused a message for serializer id 1", refused.Message);
        Assert.Contains(manifest, refused.Message);
        Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(bytes, 1, typeof(InstantiationProbe)));
        Assert.Equal(before, InstantiationProbe.Effects);
    }

    [Fact]
    public void A_type_without_a_binding_fails_where_it_is_sent()
    {
        var error = Assert.Throws<SerializationException>(() => Sys.Serialization.FindSerializerFor(new InstantiationProbe()).ToBinary(new InstantiationProbe()));
        Assert.Contains(nameof(InstantiationProbe), error.Message);
    }

    [Fact]
    public void Serializer_id_2_creates_only_protobuf_messages()
    {
        var before = InstantiationProbe.Effects;
        Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize([], 2, typeof(InstantiationProbe).AssemblyQualifiedName!));
        Assert.Equal(before, InstantiationProbe.Effects);

        var stamp = Timestamp.FromDateTime(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var serializer = Sys.Serialization.FindSerializerFor(stamp);
        Assert.IsType<ProtobufMessagesOnlySerializer>(serializer);
        Assert.Equal(stamp, Sys.Serialization.Deserialize(serializer.ToBinary(stamp), serializer.Identifier, typeof(Timestamp).TypeQualifiedName()));
    }

    [Fact]
    public void The_clients_own_actor_system_refuses_json_and_an_application_system_keeps_its_own()
    {
        var options = new DistCacheClientOptions { ContactPoints = ["127.0.0.1:1"] };
        using var client = ActorSystem.Create("client-config", WireConfig.Setup(DistCacheClient.BuildConfig(options)));
        using var app = ActorSystem.Create("app-config", WireConfig.Setup(DistCacheClient.SharedSystemConfig(options)));
        var bytes = new NewtonSoftJsonSerializer((ExtendedActorSystem)app).ToBinary(new InstantiationProbe { Note = "sent" });
        var manifest = typeof(InstantiationProbe).AssemblyQualifiedName!;

        var before = InstantiationProbe.Effects;
        Assert.Throws<SerializationException>(() => client.Serialization.Deserialize(bytes, 1, manifest));
        Assert.Throws<SerializationException>(() => client.Serialization.Deserialize([], 2, manifest));
        Assert.Equal(before, InstantiationProbe.Effects);
        // WithDistCacheClient leaves the application's serializers as they are, JSON included.
        Assert.IsType<InstantiationProbe>(app.Serialization.Deserialize(bytes, 1, manifest));
    }
}
