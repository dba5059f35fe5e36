namespace DistCache.Protocol;

/// <summary>Why a command was rejected; the client maps each code to a typed exception.</summary>
public enum CacheErrorCode : byte
{
    InvalidKey = 1,
    KeyTooLong = 2,
    ValueTooLarge = 3,
    NotAnInteger = 4,
    IntegerOverflow = 5,
    Unavailable = 6,
    OutOfMemory = 7,
    WrongType = 9,
    InvalidArgument = 8,
}
