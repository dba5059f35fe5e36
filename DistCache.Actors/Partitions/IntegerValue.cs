using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Reads and writes the 64-bit integers INCR/DECR work on. Like Redis, a string that spells
/// an integer counts as one, so <c>set n 10</c> then <c>incr n</c> gives 11.</summary>
public static class IntegerValue
{
    public static CacheValue From(long value)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(data, value);
        return new CacheValue(ValueKind.Int64, data);
    }

    public static bool TryRead(CacheValue value, out long result)
    {
        switch (value.Kind)
        {
            case ValueKind.Int64 when value.Data.Length == 8:
                result = BinaryPrimitives.ReadInt64LittleEndian(value.Data);
                return true;
            case ValueKind.Int32 when value.Data.Length == 4:
                result = BinaryPrimitives.ReadInt32LittleEndian(value.Data);
                return true;
            case ValueKind.String:
                var text = Encoding.UTF8.GetString(value.Data);
                // Redis rejects "+5", " 5" and "05"-style padding is accepted only as digits; keep it strict.
                if (text.Length > 0 && text[0] != '+' && !char.IsWhiteSpace(text[0]) && !char.IsWhiteSpace(text[^1]))
                    return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
                break;
        }
        result = 0;
        return false;
    }
}
