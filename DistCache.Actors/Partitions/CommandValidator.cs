using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Actors.Partitions;

/// <summary>Checks a command against the limits where it enters the cluster (the gateway for .NET
/// clients, the request sink for the Redis endpoint), once, before it is hashed and routed: a bad request
/// never reaches a partition, so it can never change what is stored. Partitions trust their node's edges
/// and check only what depends on their state (types, integers, memory).</summary>
public static class CommandValidator
{
    public const int MaxScanCount = 10_000;

    /// <summary>The most picks HRANDFIELD with a negative count may ask for: each pick is a reply element,
    /// so a larger count would make the partition build a reply of that size.</summary>
    public const long MaxRandomPicks = 10_000_000;

    /// <param name="partitions">The cluster's partition count, to reject a multi-key command whose keys
    /// are in different slots (0: not checked, for callers that route nothing).</param>
    public static Rejected? Validate(IClientCommand command, PartitionLimits limits, int partitions = 0)
    {
        switch (command)
        {
            case null:
                return new Rejected(CacheErrorCode.UnknownCommand);
            case BlockingCall blocking:
                return CheckBlocking(blocking, limits, partitions);
            case Transaction transaction:
                return TransactionCommands.Check(transaction, limits, partitions);
            case IMultiKeyCommand multi:
                return MultiKeyCommands.Check(multi, limits, partitions);
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
                return new Rejected(CacheErrorCode.InvalidScanCount, command is ScanKeys s ? s.Count : ((ScanPart)command).Count, MaxScanCount);
        }

        return command switch
        {
            SetValue set => CheckValue(set.Value, limits),
            CompareAndSet cas => CheckValue(cas.Value, limits),
            GetAndSet getSet => CheckValue(getSet.Value, limits),
            AppendValue { Data: null } => Missing(),
            SetRange { Data: null } => Missing(),
            SetRange range => MultiKeyCommands.CheckRange(range, limits),
            SetBit { Offset: < 0 } => new Rejected(CacheErrorCode.InvalidArgument),
            IncrementByFloat { Delta: null } => Missing(),
            IncrementByFloat incr => FloatValue.TryParse(incr.Delta, out _) ? null : new Rejected(CacheErrorCode.NotAFloat),
            HashSetFields set => CheckFields(set, limits),
            HashGetFields get => CheckFieldNames(get.Fields),
            HashDeleteFields delete => CheckFieldNames(delete.Fields),
            HashIncrementBy { Field.IsNull: true } or HashIncrementByFloat { Field.IsNull: true } => Missing(),
            HashIncrementByFloat { Delta: null } => Missing(),
            HashIncrementByFloat incr => FloatValue.TryParse(incr.Delta, out _) ? null : new Rejected(CacheErrorCode.NotAFloat),
            HashRandomFields { Count: < -MaxRandomPicks } => new Rejected(CacheErrorCode.InvalidArgument),
            HashScan { Count: < 1 or > MaxScanCount } scan => new Rejected(CacheErrorCode.InvalidScanCount, scan.Count, MaxScanCount),
            ListPush push => CheckElements(push.Elements, limits),
            ListPop { Count: < 0 } => Missing(),
            ListSetIndex set => CheckElements([set.Element], limits),
            ListInsert insert => insert.Pivot is null ? Missing() : CheckElements([insert.Element], limits),
            ListRemove { Element: null } => Missing(),
            ListPosition { Element: null } or ListPosition { Rank: 0 or long.MinValue } or ListPosition { Count: < 0 } or ListPosition { MaxLen: < 0 } => Missing(),
            SortedSetAdd add => CheckSortedSetAdd(add, limits),
            SortedSetScores scores => CheckFieldNames(scores.Members),
            SortedSetRemove remove => CheckFieldNames(remove.Members),
            SortedSetRankOf { Member.IsNull: true } => Missing(),
            SortedSetCount { Range: null } or SortedSetRangeQuery { Range: null } or SortedSetRemoveRange { Range: null } => Missing(),
            SortedSetRandomMembers { Count: < -MaxRandomPicks } => new Rejected(CacheErrorCode.InvalidArgument),
            SortedSetScan { Count: < 1 or > MaxScanCount } scan => new Rejected(CacheErrorCode.InvalidScanCount, scan.Count, MaxScanCount),
            SetAddMembers add => CheckFieldNames(add.Members) ?? CheckMembers(add.Members, limits),
            SetRemoveMembers remove => CheckFieldNames(remove.Members),
            SetContainsMembers contains => CheckFieldNames(contains.Members),
            SetPop { Count: < 0 } => new Rejected(CacheErrorCode.InvalidArgument),
            SetRandomMembers { Count: < -MaxRandomPicks } => new Rejected(CacheErrorCode.InvalidArgument),
            SetScan { Count: < 1 or > MaxScanCount } scan => new Rejected(CacheErrorCode.InvalidScanCount, scan.Count, MaxScanCount),
            _ => null,
        };
    }

    /// <summary>The limit is in bytes, as it always was (it counted a string key's UTF-8 bytes).</summary>
    public static Rejected? CheckKey(CacheKey key, PartitionLimits limits)
    {
        if (key.IsEmpty)
            return new Rejected(CacheErrorCode.InvalidKey);
        return key.Length > limits.MaxKeyBytes ? new Rejected(CacheErrorCode.KeyTooLong, key.Length, limits.MaxKeyBytes) : null;
    }

    private static Rejected? CheckKeys(CacheKey[]? keys, PartitionLimits limits)
    {
        if (keys is null)
            return Missing();
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
            return Missing();
        foreach (var entry in entries)
        {
            if (entry is null)
                return Missing();
            if ((CheckKey(entry.Key, limits) ?? CheckValue(entry.Value, limits)) is { } bad)
                return bad;
        }
        return null;
    }

    internal static Rejected? CheckValue(CacheValue? value, PartitionLimits limits)
    {
        if (value?.Data is null)
            return Missing();
        return value.Size > limits.MaxValueBytes
            ? new Rejected(CacheErrorCode.ValueTooLarge, value.Size, limits.MaxValueBytes)
            : null;
    }

    // HSET needs a field; HSETNX sets exactly one. A value is limited as a string's is.
    private static Rejected? CheckFields(HashSetFields set, PartitionLimits limits)
    {
        if (set.Fields is null or [] || (set.IfAbsent && set.Fields.Length != 1))
            return Missing();
        foreach (var field in set.Fields)
        {
            if (field?.Value is null || field.Field.IsNull)
                return Missing();
            if (field.Value.Length > limits.MaxValueBytes)
                return new Rejected(CacheErrorCode.ValueTooLarge, field.Value.Length, limits.MaxValueBytes);
        }
        return null;
    }

    // LPUSH needs an element; each is limited as a string's value is.
    private static Rejected? CheckElements(byte[][]? elements, PartitionLimits limits)
    {
        if (elements is null or [])
            return Missing();
        foreach (var element in elements)
        {
            if (element is null)
                return Missing();
            if (element.Length > limits.MaxValueBytes)
                return new Rejected(CacheErrorCode.ValueTooLarge, element.Length, limits.MaxValueBytes);
        }
        return null;
    }

    // ZADD's flags as Redis combines them (NX with XX, GT, LT; GT with LT; INCR with one member), and no NaN score.
    private static Rejected? CheckSortedSetAdd(SortedSetAdd add, PartitionLimits limits)
    {
        if (add.Entries is null or [] || (add.Increment && add.Entries.Length != 1))
            return Missing();
        if ((add.When != SortedSetWhen.Always && add.When != SortedSetWhen.IfAbsent && add.When != SortedSetWhen.IfPresent)
            || (add.When == SortedSetWhen.IfAbsent && (add.GreaterThan || add.LessThan)) || (add.GreaterThan && add.LessThan))
            return Missing();
        foreach (var entry in add.Entries)
        {
            if (entry is null || entry.Member.IsNull)
                return Missing();
            if (double.IsNaN(entry.Score))
                return new Rejected(CacheErrorCode.NotAFloat);
            if (entry.Member.Length > limits.MaxValueBytes)
                return new Rejected(CacheErrorCode.ValueTooLarge, entry.Member.Length, limits.MaxValueBytes);
        }
        return null;
    }

    // A field may be empty (Redis allows ""), but not missing.
    private static Rejected? CheckFieldNames(CacheKey[]? fields) => fields is null or [] || fields.Any(f => f.IsNull) ? Missing() : null;

    // A member is limited as a string's value is.
    private static Rejected? CheckMembers(CacheKey[] members, PartitionLimits limits)
    {
        foreach (var member in members)
        {
            if (member.Length > limits.MaxValueBytes)
                return new Rejected(CacheErrorCode.ValueTooLarge, member.Length, limits.MaxValueBytes);
        }
        return null;
    }

    // A null value, entry or key list: null values are not stored (delete the key instead).
    internal static Rejected Missing() => new(CacheErrorCode.InvalidArgument);

    // Its keys in one slot (CROSSSLOT otherwise, as Redis Cluster), and what it attempts there too.
    private static Rejected? CheckBlocking(BlockingCall blocking, PartitionLimits limits, int partitions)
    {
        if (blocking.Keys is not { Length: > 0 } || blocking.Attempt is null or BlockingCall or Transaction)
            return Missing();
        if (blocking.WaitMs is < 0 or > BlockingCall.MaxWaitMs)
            return new Rejected(CacheErrorCode.InvalidArgument);
        if ((MultiKeyCommands.Check(blocking, limits, partitions) ?? Validate(blocking.Attempt, limits, partitions)) is { } bad)
            return bad;
        return partitions > 0 && blocking.Attempt is ICacheCommand keyed
            && KeySlot.Of(keyed.Key) != KeySlot.Of(blocking.Key)
            ? new Rejected(CacheErrorCode.CrossSlot)
            : null;
    }
}
