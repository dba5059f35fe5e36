namespace DistCache.Protocol;

/// <summary>A request aimed at one partition by number (the parts of multi-key and whole-cache operations).</summary>
public interface IPartitionCommand : IClientCommand
{
    int Partition { get; }
}

public sealed record KeyedValue(CacheKey Key, CacheValue Value) : IDistCacheMessage;

public sealed record MultiGetPart(int Partition, CacheKey[] Keys) : IPartitionCommand;

public sealed record MultiSetPart(int Partition, KeyedValue[] Entries) : IPartitionCommand, IWriteCommand;

/// <summary>The partition's live keys: a <see cref="CounterValue"/>, or with <see cref="WithExpires"/> a
/// <see cref="KeyCount"/> that also says how many have an expiry (INFO's keyspace). The flag is last and
/// optional so the plain count a gateway asks for is the same message as before.</summary>
public sealed record CountPart(int Partition, bool WithExpires = false) : IPartitionCommand;

public sealed record FlushPart(int Partition) : IPartitionCommand, IWriteCommand;

/// <summary>Up to <see cref="Count"/> keys of the partition after <see cref="After"/> in ordinal order; with
/// <see cref="Type"/>, only keys holding that type.</summary>
public sealed record ScanPart(int Partition, CacheKey? After, int Count, string? Type = null) : IPartitionCommand;
