using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DistCache.Actors.Gateway;

/// <summary>Request ids for the writes a node's own front ends start: a random 8-byte prefix drawn once per
/// process and a counter. Unique like <see cref="Guid.NewGuid"/> for a partition's request window (another
/// process, or a .NET client's random ids, would have to hit the same 64-bit prefix), without its
/// <c>getrandom</c> system call per write, which was 3.5 % of the node's CPU under pipelined RESP SETs.</summary>
public static class RequestIds
{
    private static readonly ulong Prefix = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
    private static long _counter;

    public static Guid Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Prefix);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], Interlocked.Increment(ref _counter));
        return new Guid(bytes);
    }
}
