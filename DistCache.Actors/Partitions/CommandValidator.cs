using System.Text;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Checks a command against the limits before the partition looks at its state, so a bad
/// request can never change what is stored.</summary>
public static class CommandValidator
{
    public static Rejected? Validate(ICacheCommand command, PartitionLimits limits)
    {
        if (string.IsNullOrEmpty(command.Key))
            return new Rejected(CacheErrorCode.InvalidKey, "ERR key must not be null or empty");

        var keyBytes = Encoding.UTF8.GetByteCount(command.Key);
        if (keyBytes > limits.MaxKeyBytes)
            return new Rejected(CacheErrorCode.KeyTooLong,
                $"ERR key is {keyBytes} bytes, over the limit of {limits.MaxKeyBytes} bytes (distcache.max-key-bytes)");

        if (command is SetValue set)
        {
            if (set.Value is null || set.Value.Data is null)
                return new Rejected(CacheErrorCode.InvalidKey, "ERR value must not be null");
            if (set.Value.Size > limits.MaxValueBytes)
                return new Rejected(CacheErrorCode.ValueTooLarge,
                    $"ERR value is {set.Value.Size} bytes, over the limit of {limits.MaxValueBytes} bytes (distcache.max-value-bytes)");
        }

        return null;
    }
}
