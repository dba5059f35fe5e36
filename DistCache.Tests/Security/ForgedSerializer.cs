using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace DistCache.Tests.Security;

/// <summary>What a hostile peer puts in an envelope: any serializer id, any manifest, any bytes.</summary>
public sealed record ForgedMessage(string Manifest, byte[] Payload);

/// <summary>The peer's side of <see cref="ForgedMessage"/>: registered under the identifier it is told
/// to claim (<c>akka.actor.serialization-settings.NAME.id</c>), so the receiving node looks up its own
/// serializer with that id and hands it the manifest and bytes.</summary>
public sealed class ForgedSerializer(ExtendedActorSystem system, Config settings) : SerializerWithStringManifest(system)
{
    public override int Identifier { get; } = settings.GetInt("id");

    public override string Manifest(object o) => ((ForgedMessage)o).Manifest;

    public override byte[] ToBinary(object obj) => ((ForgedMessage)obj).Payload;

    public override object FromBinary(byte[] bytes, string manifest) => throw new NotSupportedException("send only");
}
