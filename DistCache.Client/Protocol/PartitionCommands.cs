namespace DistCache.Protocol;

/// <summary>A request aimed at one partition by number (the parts of multi-key and whole-cache operations).</summary>
public interface IPartitionCommand : IClientCommand
{
    int Partition { get; }
}

public sealed record KeyedValue(string Key, CacheValue Value) : IDistCacheMessage;

public sealed record MultiGetPart(int Partition, string[] Keys) : IPartitionCommand;

public sealed record MultiSetPart(int Partition, KeyedValue[] Entries) : IPartitionCommand, IWriteCommand;

public sealed record CountPart(int Partition) : IPartitionCommand;

public sealed record FlushPart(int Partition) : IPartitionCommand, IWriteCommand;

/// <summary>Up to <see cref="Count"/> keys of the partition after <see cref="After"/> in ordinal order.</summary>
public sealed record ScanPart(int Partition, string? After, int Count) : IPartitionCommand;
