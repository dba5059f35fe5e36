using System.Runtime.Serialization;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Serialization;

/// <summary>The field layouts shared by stored events and snapshots.</summary>
internal static class StoredValueFormat
{
    private const byte StoredReply = 0;
    private const byte DeletedReply = 1;
    private const byte CounterReply = 2;

    public static void WriteValue(BinaryWriter writer, CacheValue value)
    {
        writer.Write((byte)value.Kind);
        writer.Write(value.Data.Length);
        writer.Write(value.Data);
    }

    public static CacheValue ReadValue(BinaryReader reader)
    {
        var kind = (ValueKind)reader.ReadByte();
        var length = reader.ReadInt32();
        return new CacheValue(kind, reader.ReadBytes(length));
    }

    public static void WriteGuid(BinaryWriter writer, Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        writer.Write(bytes);
    }

    public static Guid ReadGuid(BinaryReader reader) => new(reader.ReadBytes(16));

    /// <summary>Only the replies a journaled write can have.</summary>
    public static void WriteReply(BinaryWriter writer, ICacheReply reply)
    {
        switch (reply)
        {
            case CounterValue counter:
                writer.Write(CounterReply);
                writer.Write(counter.Value);
                break;
            case Deleted:
                writer.Write(DeletedReply);
                break;
            default:
                writer.Write(StoredReply);
                break;
        }
    }

    public static ICacheReply ReadReply(BinaryReader reader) => reader.ReadByte() switch
    {
        StoredReply => Stored.Instance,
        DeletedReply => new Deleted(true),
        CounterReply => new CounterValue(reader.ReadInt64()),
        var other => throw new SerializationException($"Unknown stored reply kind {other}"),
    };
}
