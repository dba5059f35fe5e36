using DistCache.Protocol;

namespace DistCache.Wire;

/// <summary>Maps a key to its partition with FNV-1a over the key's UTF-8 bytes: deterministic across
/// processes, machines and .NET versions, unlike <c>string.GetHashCode</c>, so every node and every
/// restart agrees on where a key lives. In the client assembly because clients hash too, to send a
/// request to the node that owns its key's partition.</summary>
public static class KeyHasher
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Hash(ReadOnlySpan<byte> key)
    {
        var hash = OffsetBasis;
        foreach (var b in key)
        {
            hash ^= b;
            hash *= Prime;
        }
        return hash;
    }

    /// <summary>The key's partition: FNV-1a of its bytes. A string key's bytes are its UTF-8, what this
    /// hashed when keys were strings, so string keys stay where they were.</summary>
    public static int PartitionOf(CacheKey key, int partitionCount) =>
        (int)(Hash(key.AsSpan()) % (ulong)partitionCount);
}
