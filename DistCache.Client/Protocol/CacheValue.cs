namespace DistCache.Protocol;

/// <summary>How the client encoded a value. The server only looks at it for INCR/DECR;
/// everything else is opaque bytes.</summary>
public enum ValueKind : byte
{
    Bytes = 0,
    String = 1,
    Int64 = 2,
    Int32 = 3,
    Double = 4,
    Boolean = 5,
    Object = 6,
}

/// <summary>A stored value: bytes plus the tag that says how to read them.</summary>
public sealed record CacheValue(ValueKind Kind, byte[] Data) : IDistCacheMessage
{
    public int Size => Data.Length;
}
