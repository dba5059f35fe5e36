using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Whether a BITCOUNT or BITPOS range counts bytes (Redis's default) or bits.</summary>
public enum BitUnit
{
    Byte,
    Bit,
}

/// <summary>Redis 7's SETBIT, GETBIT, BITCOUNT, BITPOS and LCS on <see cref="DistCacheClient"/>, answering
/// exactly as the Redis endpoint does. SETBIT is a journaled write of the key's partition; the others read
/// the value and compute here with the endpoint's own code (<see cref="BitString"/>,
/// <see cref="LongestCommonSubsequence"/>), so a large value crosses the network once per call.</summary>
public static class DistCacheBitCommands
{
    // Redis's proto-max-bulk-len, which bounds LCS's table.
    private const long MaxLcsTableBytes = 512L * 1024 * 1024;

    /// <summary>SETBIT: sets or clears the bit at <paramref name="offset"/> (bit 0 is the most significant
    /// bit of byte 0; the string grows with zero bytes); returns the bit's previous value.</summary>
    public static async Task<bool> SetBitAsync(this DistCacheClient client, CacheKey key, long offset, bool on)
    {
        CheckOffset(offset);
        return Expect<CounterValue>(await client.ExecuteAsync(new SetBit(key, offset, on)).ConfigureAwait(false)).Value == 1;
    }

    /// <summary>GETBIT: the bit at <paramref name="offset"/>; false past the end or when the key is missing.</summary>
    public static async Task<bool> GetBitAsync(this DistCacheClient client, CacheKey key, long offset)
    {
        CheckOffset(offset);
        return await ReadAsync(client, key).ConfigureAwait(false) is { } data && BitString.Get(data, offset) == 1;
    }

    /// <summary>BITCOUNT: the bits set in the whole string; 0 when the key is missing.</summary>
    public static async Task<long> BitCountAsync(this DistCacheClient client, CacheKey key) =>
        await ReadAsync(client, key).ConfigureAwait(false) is { } data ? BitString.Count(data, null, inBits: false) : 0;

    /// <summary>BITCOUNT key start end [BYTE|BIT]: the bits set from <paramref name="start"/> to
    /// <paramref name="end"/> inclusive (negative offsets count from the end).</summary>
    public static async Task<long> BitCountAsync(this DistCacheClient client, CacheKey key, long start, long end, BitUnit unit = BitUnit.Byte) =>
        await ReadAsync(client, key).ConfigureAwait(false) is { } data ? BitString.Count(data, (start, end), unit == BitUnit.Bit) : 0;

    /// <summary>BITPOS: the position in bits of the first bit equal to <paramref name="bit"/> from
    /// <paramref name="start"/> to <paramref name="end"/> (both optional, in <paramref name="unit"/>s), or -1.
    /// Looking for a clear bit without an end, the string counts as followed by zeros, as in Redis; a missing
    /// key answers -1 for a set bit, 0 for a clear one.</summary>
    public static async Task<long> BitPositionAsync(this DistCacheClient client, CacheKey key, bool bit, long? start = null, long? end = null,
        BitUnit unit = BitUnit.Byte)
    {
        if (end is not null && start is null)
            throw new ArgumentException("An end needs a start, as in BITPOS key bit start end.", nameof(end));
        return BitString.Position(await ReadAsync(client, key).ConfigureAwait(false), bit ? 1 : 0, start, end, unit == BitUnit.Bit);
    }

    /// <summary>LCS: the longest common subsequence of the two strings (a missing key is empty), its length
    /// and the matching ranges (Redis's IDX, from the end backwards). The two keys are read independently,
    /// so they may be in any partitions (each read is current; the pair is not one snapshot). Throws
    /// <see cref="ValueTooLargeException"/> when the table would exceed 512 MB, as Redis refuses it.</summary>
    public static async Task<LongestCommonSubsequence> LongestCommonSubsequenceAsync(this DistCacheClient client, CacheKey keyA, CacheKey keyB)
    {
        var a = ReadAsync(client, keyA);
        var b = ReadAsync(client, keyB);
        var first = await a.ConfigureAwait(false) ?? [];
        var second = await b.ConfigureAwait(false) ?? [];
        // Redis refuses a table over proto-max-bulk-len rather than allocate it.
        if (LongestCommonSubsequence.TableBytes(first.Length, second.Length) > MaxLcsTableBytes)
            throw new ValueTooLargeException("Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len (512 MB).");
        return LongestCommonSubsequence.Of(first, second);
    }

    private static void CheckOffset(long offset)
    {
        if (offset is < 0 or > BitString.MaxOffset)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"A bit offset is from 0 to {BitString.MaxOffset} (512 MB), as in Redis.");
    }

    private static async Task<byte[]?> ReadAsync(DistCacheClient client, CacheKey key) =>
        Expect<Found>(await client.ExecuteAsync(new GetValue(key)).ConfigureAwait(false)).Value is { } value ? ValueCodec.ToBytes(value) : null;

    private static TReply Expect<TReply>(ICacheReply reply) where TReply : ICacheReply => reply switch
    {
        TReply expected => expected,
        Rejected rejected => throw DistCacheException.From(rejected),
        _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
    };
}
