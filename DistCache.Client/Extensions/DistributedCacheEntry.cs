using System.Buffers.Binary;

namespace DistCache.Client.Extensions;

/// <summary>How an <c>IDistributedCache</c> entry is stored: a version byte, the absolute expiry and the
/// sliding window (ms, 0 for none), then the caller's bytes. The server holds the expiry itself (a sliding
/// one capped at the absolute limit); the copy here lets a read check the absolute expiry against the
/// application's clock.</summary>
internal static class DistributedCacheEntry
{
    private const byte Version = 1;
    public const int HeaderSize = 17;

    public static byte[] Encode(ReadOnlySpan<byte> payload, long absoluteExpiryMs, long slidingMs)
    {
        var data = new byte[HeaderSize + payload.Length];
        data[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(1), absoluteExpiryMs);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(9), slidingMs);
        payload.CopyTo(data.AsSpan(HeaderSize));
        return data;
    }

    public static bool TryDecode(byte[] data, out long absoluteExpiryMs, out long slidingMs)
    {
        absoluteExpiryMs = slidingMs = 0;
        if (data.Length < HeaderSize || data[0] != Version)
            return false;
        absoluteExpiryMs = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(1));
        slidingMs = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(9));
        return true;
    }
}
