using System.Text;
using System.Text.Unicode;
using DistCache.Client;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Redis's string type: every value that is not a collection, whatever its <see cref="ValueKind"/> tag
/// (Redis reads a .NET client's integer, double, boolean or serialized object as a string too). Its commands
/// are <see cref="StringCommands"/>.</summary>
public sealed class StringType : DataType
{
    public static readonly StringType Instance = new();

    private StringType()
    {
    }

    public override string Name => "string";

    public override long PayloadBytes(in CacheEntry entry) => entry.Data.Length;

    public static long PayloadBytes(CacheValue value) => value.Data.Length;

    // A string's bytes are never changed in place (every write stores a new array), but a copy must
    // outlive whatever the source becomes, so it gets bytes of its own.
    public override EntryChange CopyTo(CacheKey key, in CacheEntry source) =>
        new EntrySet(key, new CacheValue(source.Kind, (byte[])source.Data.Clone()), source.ExpiresAt);

    public override string EncodingOf(in CacheEntry entry) => EncodingOf(entry.Value);

    /// <summary>Redis's choice for a string (object.c tryObjectEncoding): "int" for a canonical 64-bit
    /// integer, "embstr" up to 44 bytes, else "raw".</summary>
    public static string EncodingOf(CacheValue value)
    {
        if (value.Kind is ValueKind.Int64 or ValueKind.Int32)
            return "int";
        var bytes = ValueCodec.ToBytes(value);
        if (bytes.Length <= 20)
        {
            var text = Encoding.UTF8.GetString(bytes);
            if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && n.ToString(System.Globalization.CultureInfo.InvariantCulture) == text)
                return "int";
        }
        return bytes.Length <= 44 ? "embstr" : "raw";
    }

    /// <summary>A string as journal events, snapshots and remembered replies store it: its tag, its byte
    /// count, its bytes. Part of the stored format: the tags 0-6 are the string's, a later type takes
    /// a tag of its own.</summary>
    public static void Write(BinaryWriter writer, CacheValue value)
    {
        writer.Write((byte)value.Kind);
        writer.Write(value.Data.Length);
        writer.Write(value.Data);
    }

    public static CacheValue Read(BinaryReader reader)
    {
        var kind = (ValueKind)reader.ReadByte();
        var length = reader.ReadInt32();
        return new CacheValue(kind, reader.ReadBytes(length));
    }

    /// <summary>What a value reads as over RESP: strings and bytes as they are, numbers and booleans as their text.</summary>
    public static byte[] Readable(in CacheEntry entry) => entry.Kind switch
    {
        ValueKind.String or ValueKind.Bytes or ValueKind.Object => entry.Data,
        _ => Encoding.UTF8.GetBytes(ValueCodec.ToText(entry.Value)),
    };

    /// <summary>The text APPEND, SETRANGE and SETBIT may edit, and the tag the result keeps: strings and
    /// bytes as they are, integers as their digits (Redis keeps integers as strings). A .NET client's
    /// binary double, boolean or object is not text to edit: those commands answer WRONGTYPE.</summary>
    public static bool TryEditableText(in CacheEntry entry, out byte[] text, out ValueKind kind)
    {
        kind = entry.Kind == ValueKind.Bytes ? ValueKind.Bytes : ValueKind.String;
        text = entry.Kind is ValueKind.String or ValueKind.Bytes ? entry.Data
            : IntegerValue.TryRead(entry.Value, out _) ? Readable(entry)
            : [];
        return entry.Kind is ValueKind.String or ValueKind.Bytes || IntegerValue.TryRead(entry.Value, out _);
    }

    /// <summary>Bytes as a reply value: tagged as text when they are valid UTF-8.</summary>
    public static CacheValue Text(byte[] data) => new(Utf8.IsValid(data) ? ValueKind.String : ValueKind.Bytes, data);
}
