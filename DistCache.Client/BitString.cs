using System.Numerics;

namespace DistCache.Client;

/// <summary>SETBIT, GETBIT, BITCOUNT and BITPOS on a string's bytes, as Redis 7 does them (bitops.c): bit 0
/// is the most significant bit of byte 0; ranges are inclusive, negative offsets count from the end, and
/// are in bytes unless the BIT unit is given. In the client assembly so the partitions, the Redis endpoint and
/// the .NET client's bit commands count bits alike.</summary>
public static class BitString
{
    /// <summary>Redis's limit: an offset must address a byte below proto-max-bulk-len (512 MB).</summary>
    public const long MaxOffset = 512L * 1024 * 1024 * 8 - 1;

    public static int Get(byte[] data, long offset)
    {
        var index = offset >> 3;
        return index < data.Length && (data[index] & (0x80 >> (int)(offset & 7))) != 0 ? 1 : 0;
    }

    /// <summary>The bytes with the bit set or cleared (a new array, zero-padded to reach the bit).</summary>
    public static byte[] Set(byte[] data, long offset, bool on)
    {
        var index = offset >> 3;
        var result = new byte[Math.Max(data.Length, index + 1)];
        data.CopyTo(result, 0);
        var mask = (byte)(0x80 >> (int)(offset & 7));
        result[index] = on ? (byte)(result[index] | mask) : (byte)(result[index] & ~mask);
        return result;
    }

    /// <summary>The length the string has after setting a bit at <paramref name="offset"/>.</summary>
    public static long LengthAfter(long length, long offset) => Math.Max(length, (offset >> 3) + 1);

    /// <summary>BITCOUNT: set bits in the range (the whole string without one).</summary>
    public static long Count(byte[] data, (long Start, long End)? range, bool inBits)
    {
        if (Bits(data, range, inBits, emptyWhenBothNegativeAndReversed: true) is not var (first, last))
            return 0;
        long count = 0;
        for (var bit = first; bit <= last;)
        {
            // Whole bytes at once where the range covers them.
            if ((bit & 7) == 0 && bit + 7 <= last)
            {
                count += BitOperations.PopCount(data[bit >> 3]);
                bit += 8;
            }
            else
            {
                count += Get(data, bit);
                bit++;
            }
        }
        return count;
    }

    /// <summary>BITPOS: the first bit equal to <paramref name="bit"/> in the range, or -1. Looking for 0
    /// without an explicit end, the string counts as followed by zeros (Redis's rule), so an all-ones
    /// string answers its length in bits.</summary>
    public static long Position(byte[]? data, int bit, long? start, long? end, bool inBits)
    {
        if (data is null)
            return bit == 1 ? -1 : 0;
        (long, long)? range = start is { } s ? (s, end ?? (inBits ? data.Length * 8L - 1 : data.Length - 1L)) : null;
        if (Bits(data, range, inBits, emptyWhenBothNegativeAndReversed: false) is not var (first, last))
            return -1;
        for (var i = first; i <= last; i++)
        {
            if ((i & 7) == 0 && i + 7 <= last && data[i >> 3] == (bit == 1 ? 0x00 : 0xFF))
            {
                i += 7;
                continue;
            }
            if (Get(data, i) == bit)
                return i;
        }
        return bit == 0 && end is null ? last + 1 : -1;
    }

    // The inclusive range in bits, clipped to the string as Redis clips it, or null when empty. Only
    // BITCOUNT answers a reversed pair of negative offsets as empty before clipping (bitops.c).
    private static (long First, long Last)? Bits(byte[] data, (long Start, long End)? range, bool inBits, bool emptyWhenBothNegativeAndReversed)
    {
        var total = inBits ? data.Length * 8L : data.Length;
        var (start, end) = range ?? (0, total - 1);
        if (emptyWhenBothNegativeAndReversed && start < 0 && end < 0 && start > end)
            return null;
        if (start < 0)
            start += total;
        if (end < 0)
            end += total;
        start = Math.Max(start, 0);
        end = Math.Max(end, 0);
        if (end >= total)
            end = total - 1;
        if (start > end)
            return null;
        return inBits ? (start, end) : (start * 8, end * 8 + 7);
    }
}
