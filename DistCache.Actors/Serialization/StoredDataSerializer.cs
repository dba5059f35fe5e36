using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using DistCache.Actors.Partitions;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Serialization;

/// <summary>Writes journal events and snapshots in a compact layout of our own: a manifest per type,
/// a version byte, then length-prefixed fields. Unlike Hyperion (a wire format that embeds .NET type
/// names) this stays readable across .NET and library upgrades. Every older version stays readable.</summary>
public sealed class StoredDataSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 7301;

    // 1: key and value only. 2: adds the request id (and, for values, whether the reply was a counter),
    // and the recent-request window in snapshots.
    private const byte FormatVersion = 2;
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
                    StoredValueFormat.WriteValue(writer, written.Value);
                    StoredValueFormat.WriteGuid(writer, written.RequestId);
                    writer.Write(written.IsCounter);
                    break;
                case KeyRemoved removed:
                    writer.Write(removed.Key);
                    StoredValueFormat.WriteGuid(writer, removed.RequestId);
                    break;
                case PartitionSnapshot snapshot:
                    writer.Write(snapshot.Entries.Count);
                    foreach (var (key, value) in snapshot.Entries)
                    {
                        writer.Write(key);
                        StoredValueFormat.WriteValue(writer, value);
                    }
                    writer.Write(snapshot.RecentRequests.Count);
                    foreach (var (id, reply) in snapshot.RecentRequests)
                    {
                        StoredValueFormat.WriteGuid(writer, id);
                        StoredValueFormat.WriteReply(writer, reply);
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
        if (version is < 1 or > FormatVersion)
            throw new SerializationException($"Stored data format version {version} is not one this DistCache understands (1-{FormatVersion})");
        var current = version >= 2;

        switch (manifest)
        {
            case ValueWrittenManifest:
                var key = reader.ReadString();
                var value = StoredValueFormat.ReadValue(reader);
                return current
                    ? new ValueWritten(key, value, StoredValueFormat.ReadGuid(reader), reader.ReadBoolean())
                    : new ValueWritten(key, value);
            case KeyRemovedManifest:
                var removed = reader.ReadString();
                return current ? new KeyRemoved(removed, StoredValueFormat.ReadGuid(reader)) : new KeyRemoved(removed);
            case SnapshotManifest:
                var count = reader.ReadInt32();
                var entries = new KeyValuePair<string, CacheValue>[count];
                for (var i = 0; i < count; i++)
                    entries[i] = new(reader.ReadString(), StoredValueFormat.ReadValue(reader));
                var requests = current ? new KeyValuePair<Guid, ICacheReply>[reader.ReadInt32()] : [];
                for (var i = 0; i < requests.Length; i++)
                    requests[i] = new(StoredValueFormat.ReadGuid(reader), StoredValueFormat.ReadReply(reader));
                return new PartitionSnapshot(entries, requests);
            default:
                throw new SerializationException($"Unknown stored data manifest '{manifest}'");
        }
    }
}
