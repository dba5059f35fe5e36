namespace DistCache.Actors.Partitions;

/// <summary>GETRANGE's and SETRANGE's byte arithmetic, as Redis 7 does it (t_string.c getrangeCommand,
/// setrangeCommand).</summary>
public static class StringRange
{
    /// <summary>The bytes from <paramref name="start"/> to <paramref name="end"/> inclusive; negative
    /// offsets count from the end, and the range is clipped to the string.</summary>
    public static byte[] Slice(byte[] data, long start, long end)
    {
        long length = data.Length;
        if (start < 0 && end < 0 && start > end)
            return [];
        if (start < 0)
            start = length + start;
        if (end < 0)
            end = length + end;
        start = Math.Max(start, 0);
        end = Math.Max(end, 0);
        if (end >= length)
            end = length - 1;
        if (start > end || length == 0)
            return [];
        return data[(int)start..(int)(end + 1)];
    }

    /// <summary>The length a SETRANGE leaves (the string grows to cover the write, never shrinks).</summary>
    public static long LengthAfter(long currentLength, long offset, int dataLength) =>
        Math.Max(currentLength, offset + dataLength);

    /// <summary><paramref name="data"/> written over <paramref name="current"/> at <paramref name="offset"/>,
    /// the gap (if any) filled with zero bytes. The caller has checked the length against the limits.</summary>
    public static byte[] Overwrite(byte[] current, long offset, byte[] data)
    {
        var result = new byte[LengthAfter(current.Length, offset, data.Length)];
        current.CopyTo(result, 0);
        data.CopyTo(result, offset);
        return result;
    }
}
