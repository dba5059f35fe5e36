using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Remote.Serialization;
using Akka.Serialization;
using Google.Protobuf;

namespace DistCache.Wire;

/// <summary>Akka.Remote's <c>proto</c> serializer (identifier 2) with the type check it lacks: Akka's
/// <see cref="ProtobufSerializer"/> calls the parameterless constructor of whatever type the manifest
/// names before it checks that the result is a Protobuf message, so a peer could run any such
/// constructor on a node. Here only Protobuf message types get that far. Its only use is Akka's own
/// (messages that are <see cref="IMessage"/> themselves), which passes unchanged.</summary>
public sealed class ProtobufMessagesOnlySerializer : Serializer
{
    private readonly ProtobufSerializer _protobuf;

    public ProtobufMessagesOnlySerializer(ExtendedActorSystem system) : base(system) => _protobuf = new ProtobufSerializer(system);

    /// <summary>Akka.Remote's identifier for its Protobuf serializer (fixed here: on a system without
    /// remoting Akka's serialization-identifiers table does not list it).</summary>
    public const int SerializerId = 2;

    public override int Identifier => SerializerId;

    public override bool IncludeManifest => _protobuf.IncludeManifest;

    public override byte[] ToBinary(object obj) => _protobuf.ToBinary(obj);

    public override object FromBinary(byte[] bytes, Type type)
    {
        if (type is null || !typeof(IMessage).IsAssignableFrom(type) || type.IsAbstract)
            throw new SerializationException(
                $"Refused a message for serializer id {Identifier} (Akka's Protobuf serializer) naming '{type?.FullName}', which is not a Protobuf message type.");
        return _protobuf.FromBinary(bytes, type);
    }
}
