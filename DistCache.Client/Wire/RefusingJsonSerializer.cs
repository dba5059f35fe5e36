using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.Util;

namespace DistCache.Wire;

/// <summary>Takes the place of Akka's JSON serializer (the name <c>json</c> and identifier 1) and refuses
/// to work. Akka.Remote deserializes an inbound message with whatever serializer id the sender put on it,
/// and Akka's JSON serializer creates any .NET type a <c>$type</c> names, so while it stays registered
/// any peer of the cluster port can make a node instantiate a type of its choosing. Refusing both ways
/// also means a message that would silently fall back to <c>System.Object = json</c> fails where it is
/// sent instead of travelling. A string-manifest serializer, so Akka hands it the manifest as text and
/// never loads the type it names.</summary>
public sealed class RefusingJsonSerializer : SerializerWithStringManifest
{
    /// <summary>Akka's own identifier for NewtonSoftJsonSerializer: the id a foreign peer would send.</summary>
    public const int SerializerId = 1;

    public RefusingJsonSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    // Akka passes akka.actor.serialization-settings.json to the serializer registered as "json".
    public RefusingJsonSerializer(ExtendedActorSystem system, Config _) : base(system)
    {
    }

    public override int Identifier => SerializerId;

    public override byte[] ToBinary(object obj)
    {
        throw new SerializationException(
            $"{obj.GetType().FullName} has no serializer binding, and DistCache does not let Akka's JSON serializer carry it: " +
            "bind it in akka.actor.serialization-bindings.");
    }

    public override string Manifest(object o) => o.GetType().TypeQualifiedName();

    public override object FromBinary(byte[] bytes, string manifest)
    {
        throw new SerializationException(
            $"Refused a message for serializer id {SerializerId} (Akka's JSON serializer, manifest '{manifest}'): " +
            "DistCache takes no JSON from peers.");
    }
}
