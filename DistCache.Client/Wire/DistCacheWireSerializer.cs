using Akka.Actor;
using Akka.Serialization;

namespace DistCache.Wire;

/// <summary>Hyperion for DistCache's messages on the wire, with an identifier of its own and the
/// <see cref="ProtocolTypeFilter"/> built in. Being a separate serializer (not the system's "hyperion"
/// with a global setup) it restricts only our messages, so it can live in an application's own
/// ActorSystem without changing how that application serializes anything else.</summary>
public sealed class DistCacheWireSerializer : HyperionSerializer
{
    public const int SerializerId = 7302;

    public DistCacheWireSerializer(ExtendedActorSystem system)
        : base(system, HyperionSerializerSettings.Default
            .WithDisallowUnsafeType(true)
            .WithKnownTypesProvider(typeof(ProtocolKnownTypes))
            .WithTypeFilter(ProtocolTypeFilter.Instance))
    {
    }

    public override int Identifier => SerializerId;
}
