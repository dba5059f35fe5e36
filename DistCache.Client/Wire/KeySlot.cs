using DistCache.Protocol;

namespace DistCache.Wire;

/// <summary>A key's Redis Cluster hash slot: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384, as
/// Redis Cluster's keyHashSlot computes it. The hash tag is what lies between the first '{' and the first
/// '}' after it, when that is not empty, so `{user42}:cart` and `{user42}:profile` share a slot. Each of the P
/// partitions owns one contiguous range of slots (<see cref="PartitionOf(int, int)"/>), so a slot has exactly one
/// owner and keys that share a slot share a partition.</summary>
public static class KeySlot
{
    public const int Count = 16384;

    private static readonly ushort[] Table = BuildTable();

    public static int Of(CacheKey key) => Of(key.AsSpan());

    /// <summary>The partition owning a slot: slots split into P contiguous ranges, as even as P allows
    /// (64 slots each with 256 partitions). P is at most <see cref="Count"/>, so every partition owns a slot.</summary>
    public static int PartitionOf(int slot, int partitionCount) => (int)((long)slot * partitionCount / Count);

    /// <summary>The first slot a partition owns: the least slot s with s·P/16384 ≥ p.</summary>
    public static int FirstSlotOf(int partition, int partitionCount) =>
        (int)(((long)partition * Count + partitionCount - 1) / partitionCount);

    /// <summary>The last slot a partition owns (inclusive).</summary>
    public static int LastSlotOf(int partition, int partitionCount) => FirstSlotOf(partition + 1, partitionCount) - 1;

    public static int Of(ReadOnlySpan<byte> key) => Crc16(HashTag(key)) & (Count - 1);

    /// <summary>The bytes the slot is computed from: the hash tag when the key has a non-empty one, else the key.</summary>
    public static ReadOnlySpan<byte> HashTag(ReadOnlySpan<byte> key)
    {
        var open = key.IndexOf((byte)'{');
        if (open < 0)
            return key;
        var close = key[(open + 1)..].IndexOf((byte)'}');
        return close > 0 ? key.Slice(open + 1, close) : key;
    }

    /// <summary>CRC16-CCITT in its XMODEM form (polynomial 0x1021, initial value 0), Redis's crc16.c.</summary>
    public static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
            crc = (ushort)((crc << 8) ^ Table[((crc >> 8) ^ b) & 0xff]);
        return crc;
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ushort)(i << 8);
            for (var bit = 0; bit < 8; bit++)
                crc = (ushort)((crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1);
            table[i] = crc;
        }
        return table;
    }
}
