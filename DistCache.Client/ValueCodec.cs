using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Turns .NET values into tagged bytes and back. Scalars get a compact native encoding (so
/// counters stay 64-bit integers the server can INCR); any other object is JSON, which needs no shared
/// types on the server and round-trips collections, tuples and records of supported values.</summary>
public static class ValueCodec
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    public static CacheValue Encode<T>(T value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), "DistCache does not store null values; delete the key instead"),
        string s => new CacheValue(ValueKind.String, Encoding.UTF8.GetBytes(s)),
        long l => Fixed(ValueKind.Int64, 8, b => BinaryPrimitives.WriteInt64LittleEndian(b, l)),
        int i => Fixed(ValueKind.Int32, 4, b => BinaryPrimitives.WriteInt32LittleEndian(b, i)),
        double d => Fixed(ValueKind.Double, 8, b => BinaryPrimitives.WriteDoubleLittleEndian(b, d)),
        bool f => new CacheValue(ValueKind.Boolean, [f ? (byte)1 : (byte)0]),
        byte[] bytes => new CacheValue(ValueKind.Bytes, bytes),
        _ => new CacheValue(ValueKind.Object, JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Json)),
    };

    public static T Decode<T>(CacheValue value)
    {
        var target = typeof(T);
        object? result = target switch
        {
            _ when target == typeof(string) => ToText(value),
            _ when target == typeof(byte[]) => value.Data,
            _ when target == typeof(long) => ToInt64(value),
            _ when target == typeof(int) => checked((int)ToInt64(value)),
            _ when target == typeof(double) => ToDouble(value),
            _ when target == typeof(bool) && value.Kind == ValueKind.Boolean => value.Data[0] != 0,
            _ when value.Kind == ValueKind.Object => JsonSerializer.Deserialize<T>(value.Data, Json),
            _ => throw Mismatch(value, target),
        };
        return (T)result!;
    }

    /// <summary>The value as a person reads it (what the command line prints).</summary>
    public static string ToText(CacheValue value) => value.Kind switch
    {
        ValueKind.Int64 or ValueKind.Int32 => ToInt64(value).ToString(CultureInfo.InvariantCulture),
        ValueKind.Double => BinaryPrimitives.ReadDoubleLittleEndian(value.Data).ToString("R", CultureInfo.InvariantCulture),
        ValueKind.Boolean => value.Data[0] != 0 ? "true" : "false",
        _ => Encoding.UTF8.GetString(value.Data),
    };

    /// <summary>The value's bytes as Redis commands see them: strings, bytes and objects as stored, numbers
    /// and booleans as their text (so GETBIT on a number a .NET client stored reads its digits, as in Redis).</summary>
    public static byte[] ToBytes(CacheValue value) => value.Kind switch
    {
        ValueKind.String or ValueKind.Bytes or ValueKind.Object => value.Data,
        _ => Encoding.UTF8.GetBytes(ToText(value)),
    };

    private static long ToInt64(CacheValue value) => value.Kind switch
    {
        ValueKind.Int64 => BinaryPrimitives.ReadInt64LittleEndian(value.Data),
        ValueKind.Int32 => BinaryPrimitives.ReadInt32LittleEndian(value.Data),
        ValueKind.String when long.TryParse(Encoding.UTF8.GetString(value.Data), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw Mismatch(value, typeof(long)),
    };

    private static double ToDouble(CacheValue value) => value.Kind switch
    {
        ValueKind.Double => BinaryPrimitives.ReadDoubleLittleEndian(value.Data),
        ValueKind.Int64 or ValueKind.Int32 => ToInt64(value),
        ValueKind.String when double.TryParse(Encoding.UTF8.GetString(value.Data), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw Mismatch(value, typeof(double)),
    };

    private static CacheValue Fixed(ValueKind kind, int size, Action<Span<byte>> write)
    {
        var data = new byte[size];
        write(data);
        return new CacheValue(kind, data);
    }

    private static ValueTypeMismatchException Mismatch(CacheValue value, Type target) =>
        new($"The stored value is {value.Kind} and cannot be read as {target.Name}");
}
