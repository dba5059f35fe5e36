using System.Globalization;
using System.Text;
using System.Text.Json;
using DistCache.Protocol;

namespace DistCache.Client.Collections;

/// <summary>Turns .NET values into the bytes of one collection element (a hash field's value, a list element, a
/// set or sorted-set member) and back. Unlike <see cref="ValueCodec"/>, an element has no type tag beside it, so
/// each value is written as a Redis user would read it: text as UTF-8, numbers as their invariant digits (so
/// HINCRBY, ZINCRBY and redis-cli see numbers), booleans as 1 and 0 (as StackExchange.Redis writes them), bytes
/// as they are, and any other object as JSON (records, tuples and collections of supported values).</summary>
public static class ElementCodec
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    public static byte[] Encode<T>(T value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), "A collection element cannot be null"),
        string s => Encoding.UTF8.GetBytes(s),
        byte[] bytes => bytes,
        long l => Ascii(l.ToString(CultureInfo.InvariantCulture)),
        int i => Ascii(i.ToString(CultureInfo.InvariantCulture)),
        double d => Ascii(FormatDouble(d)),
        bool b => [b ? (byte)'1' : (byte)'0'],
        _ => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Json),
    };

    public static T Decode<T>(byte[] bytes)
    {
        var target = typeof(T);
        object? result = target switch
        {
            _ when target == typeof(string) => Encoding.UTF8.GetString(bytes),
            _ when target == typeof(byte[]) => bytes,
            _ when target == typeof(long) => long.TryParse(bytes, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : throw Mismatch(bytes, target),
            _ when target == typeof(int) => int.TryParse(bytes, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : throw Mismatch(bytes, target),
            _ when target == typeof(double) => ParseDouble(bytes) ?? throw Mismatch(bytes, target),
            _ when target == typeof(bool) => bytes switch
            {
                [(byte)'1'] => true,
                [(byte)'0'] => false,
                _ => throw Mismatch(bytes, target),
            },
            _ => Deserialize<T>(bytes),
        };
        return (T)result!;
    }

    /// <summary>A set or sorted-set member, which the protocol carries as a key. A caller's byte[] is copied, as
    /// <see cref="CacheKey"/>'s conversion copies one, so the caller may reuse its buffer once the call returns.</summary>
    internal static CacheKey EncodeMember<T>(T value) => value is byte[] bytes ? CacheKey.Copy(bytes) : new CacheKey(Encode(value));

    internal static CacheKey[] EncodeMembers<T>(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Select(EncodeMember).ToArray();
    }

    internal static T DecodeMember<T>(CacheKey member) => Decode<T>(member.ToArray());

    /// <summary>A score or float as Redis writes one: the shortest text that reads back as the same double, "inf" and "-inf".</summary>
    public static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A float as Redis reads one (its own "inf", "+inf", "-inf" too); null when it is not a number.</summary>
    public static double? ParseDouble(ReadOnlySpan<byte> text)
    {
        var s = Encoding.ASCII.GetString(text);
        switch (s.ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity":
                return double.PositiveInfinity;
            case "-inf" or "-infinity":
                return double.NegativeInfinity;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) ? d : null;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static T Deserialize<T>(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Json)!;
        }
        catch (JsonException e)
        {
            throw new ValueTypeMismatchException($"A stored element ({bytes.Length} bytes) is not JSON for {typeof(T).Name}: {e.Message}");
        }
    }

    private static ValueTypeMismatchException Mismatch(byte[] bytes, Type target) =>
        new($"A stored element ({bytes.Length} bytes) cannot be read as {target.Name}");
}
