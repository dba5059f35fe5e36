using System.Text;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Checks a command against the limits before the partition looks at its state, so a bad
/// request can never change what is stored.</summary>
public static class CommandValidator
{
    public const int MaxScanCount = 10_000;

    public static Rejected? Validate(IClientCommand command, PartitionLimits limits)
    {
        switch (command)
        {
            case null:
                return new Rejected(CacheErrorCode.InvalidArgument, "ERR request has no command");
            case ICacheCommand keyed when CheckKey(keyed.Key, limits) is { } bad:
                return bad;
            case MultiGetPart get:
                return CheckKeys(get.Keys, limits);
            case MultiGet get:
                return CheckKeys(get.Keys, limits);
            case MultiSetPart set:
                return CheckEntries(set.Entries, limits);
            case MultiSet set:
                return CheckEntries(set.Entries, limits);
            case ScanPart { Count: < 1 or > MaxScanCount } or ScanKeys { Count: < 1 or > MaxScanCount }:
                return new Rejected(CacheErrorCode.InvalidArgument, $"ERR scan count must be from 1 to {MaxScanCount}");
        }

        return command switch
        {
            SetValue set => CheckValue(set.Value, limits),
            CompareAndSet cas => CheckValue(cas.Value, limits),
            GetAndSet getSet => CheckValue(getSet.Value, limits),
            AppendValue { Data: null } => Missing("data"),
            _ => null,
        };
    }

    public static Rejected? CheckKey(string? key, PartitionLimits limits)
    {
        if (string.IsNullOrEmpty(key))
            return new Rejected(CacheErrorCode.InvalidKey, "ERR key must not be null or empty");
        var keyBytes = Encoding.UTF8.GetByteCount(key);
        return keyBytes > limits.MaxKeyBytes
            ? new Rejected(CacheErrorCode.KeyTooLong,
                $"ERR key is {keyBytes} bytes, over the limit of {limits.MaxKeyBytes} bytes (distcache.max-key-bytes)")
            : null;
    }

    private static Rejected? CheckKeys(string[]? keys, PartitionLimits limits)
    {
        if (keys is null)
            return Missing("keys");
        foreach (var key in keys)
        {
            if (CheckKey(key, limits) is { } bad)
                return bad;
        }
        return null;
    }

    private static Rejected? CheckEntries(KeyedValue[]? entries, PartitionLimits limits)
    {
        if (entries is null)
            return Missing("entries");
        foreach (var entry in entries)
        {
            if (entry is null)
                return Missing("entry");
            if ((CheckKey(entry.Key, limits) ?? CheckValue(entry.Value, limits)) is { } bad)
                return bad;
        }
        return null;
    }

    private static Rejected? CheckValue(CacheValue? value, PartitionLimits limits)
    {
        if (value?.Data is null)
            return Missing("value");
        return value.Size > limits.MaxValueBytes
            ? new Rejected(CacheErrorCode.ValueTooLarge,
                $"ERR value is {value.Size} bytes, over the limit of {limits.MaxValueBytes} bytes (distcache.max-value-bytes)")
            : null;
    }

    private static Rejected Missing(string what) =>
        new(CacheErrorCode.InvalidArgument, $"ERR the request has no {what}; null values are not stored (delete the key instead)");
}
