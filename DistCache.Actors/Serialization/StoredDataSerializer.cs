using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using DistCache.Actors.Partitions;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Serialization;

/// <summary>Writes journal events and snapshots in a compact layout of our own: a manifest per type,
/// a version byte, then length-prefixed fields. Unlike Hyperion (a wire format that embeds .NET type
/// names) this stays readable across .NET and library upgrades.</summary>
public sealed class StoredDataSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 7301;
    private const byte FormatVersion = 1;
    private const string ValueWrittenManifest = "vw";
    private const string KeyRemovedManifest = "kr";
    private const string SnapshotManifest = "ps";

    public StoredDataSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        ValueWritten => ValueWrittenManifest,
        KeyRemoved => KeyRemovedManifest,
        PartitionSnapshot => SnapshotManifest,
        _ => throw new ArgumentException($"StoredDataSerializer cannot store {o.GetType()}"),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(FormatVersion);
            switch (obj)
            {
                case ValueWritten written:
                    writer.Write(written.Key);
                    WriteValue(writer, written.Value);
                    break;
                case KeyRemoved removed:
                    writer.Write(removed.Key);
                    break;
                case PartitionSnapshot snapshot:
                    writer.Write(snapshot.Entries.Count);
                    foreach (var (key, value) in snapshot.Entries)
                    {
                        writer.Write(key);
                        WriteValue(writer, value);
                    }
                    break;
                default:
                    throw new ArgumentException($"StoredDataSerializer cannot store {obj.GetType()}");
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        var version = reader.ReadByte();
        if (version != FormatVersion)
            throw new SerializationException($"Stored data format version {version} is newer than this DistCache understands ({FormatVersion})");

        switch (manifest)
        {
            case ValueWrittenManifest:
                return new ValueWritten(reader.ReadString(), ReadValue(reader));
            case KeyRemovedManifest:
                return new KeyRemoved(reader.ReadString());
            case SnapshotManifest:
                var count = reader.ReadInt32();
                var entries = new KeyValuePair<string, CacheValue>[count];
                for (var i = 0; i < count; i++)
                    entries[i] = new(reader.ReadString(), ReadValue(reader));
                return new PartitionSnapshot(entries);
            default:
                throw new SerializationException($"Unknown stored data manifest '{manifest}'");
        }
    }

    private static void WriteValue(BinaryWriter writer, CacheValue value)
    {
        writer.Write((byte)value.Kind);
        writer.Write(value.Data.Length);
        writer.Write(value.Data);
    }

    private static CacheValue ReadValue(BinaryReader reader)
    {
        var kind = (ValueKind)reader.ReadByte();
        var length = reader.ReadInt32();
        return new CacheValue(kind, reader.ReadBytes(length));
    }
}
