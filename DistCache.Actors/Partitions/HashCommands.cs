using System.Globalization;
using System.Text;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The writes of the hash type (<see cref="HashType"/>): HSET, HMSET, HSETNX, HDEL, HINCRBY and
/// HINCRBYFLOAT, with its reads in <c>HashCommands.Reads.cs</c>. Each works out a decision without
/// changing anything; its journal event names the fields it changed, never the whole hash, and goes through
/// <see cref="DecisionRules.Write"/> like a string's, so a retried request id is answered from the request
/// window and applied once. A key holding another type answers WRONGTYPE (Redis 7, t_hash.c); a hash whose
/// last field goes is deleted; the key keeps its expiry (a sliding one slides: a write is a use).</summary>
public sealed partial class HashCommands
{
    private static readonly HashType Hashes = HashType.Instance;

    private readonly EntryTable _table;
    private readonly DecisionRules _rules;
    private readonly PartitionLimits _limits;

    public HashCommands(EntryTable table, DecisionRules rules, PartitionLimits limits)
    {
        _table = table;
        _rules = rules;
        _limits = limits;
    }

    public Decision Set(HashSetFields set, Guid requestId)
    {
        var existing = _table.Live(set.Key);
        if (Hashes.Conflicts(existing))
            return DataType.WrongType();
        var hash = existing?.Hash;
        if (set.IfAbsent && hash is not null && hash.TryGet(set.Fields[0].Field, out _))
            return Decision.Read(new Written(false));
        var (added, count, bytes) = Effect(hash, set.Fields);
        if (Refusal(count, bytes) is { } refused)
            return refused;
        ICacheReply reply = set.IfAbsent ? new Written(true) : new CounterValue(added);
        return _rules.Write(requestId, reply, Sliding(new HashFieldsSet(set.Key, set.Fields), set.Key));
    }

    public Decision Delete(HashDeleteFields delete, Guid requestId)
    {
        var existing = _table.Live(delete.Key);
        if (Hashes.Conflicts(existing))
            return DataType.WrongType();
        if (existing?.Hash is not { } hash)
            return Decision.Read(new CounterValue(0));
        var removed = new HashSet<CacheKey>();
        foreach (var field in delete.Fields)
        {
            if (hash.TryGet(field, out _))
                removed.Add(field);
        }
        if (removed.Count == 0)
            return Decision.Read(new CounterValue(0));
        // Redis deletes a hash with its last field: the key goes, not a hash of nothing.
        return removed.Count == hash.Count
            ? _rules.Write(requestId, new CounterValue(removed.Count), new EntryRemoved(delete.Key))
            : _rules.Write(requestId, new CounterValue(removed.Count), Sliding(new HashFieldsRemoved(delete.Key, [.. removed]), delete.Key));
    }

    public Decision IncrementBy(HashIncrementBy incr, Guid requestId)
    {
        var existing = _table.Live(incr.Key);
        if (Hashes.Conflicts(existing))
            return DataType.WrongType();
        long current = 0;
        if (existing?.Hash is { } hash && hash.TryGet(incr.Field, out var stored)
            && !IntegerValue.TryRead(new CacheValue(ValueKind.String, stored), out current))
            return Decision.Reject(CacheErrorCode.HashValueNotInteger);
        long next;
        try
        {
            next = checked(current + incr.Delta);
        }
        catch (OverflowException)
        {
            return Decision.Reject(CacheErrorCode.IntegerOverflow);
        }
        // The result is journaled, not the increment: replay sets the same value whatever it finds.
        return Written(incr.Key, incr.Field, Encoding.ASCII.GetBytes(next.ToString(CultureInfo.InvariantCulture)), new CounterValue(next), requestId);
    }

    public Decision IncrementByFloat(HashIncrementByFloat incr, Guid requestId)
    {
        var existing = _table.Live(incr.Key);
        if (Hashes.Conflicts(existing))
            return DataType.WrongType();
        var current = "0";
        if (existing?.Hash is { } hash && hash.TryGet(incr.Field, out var stored))
        {
            if (FloatValue.TextOf(stored) is not { } text)
                return Decision.Reject(CacheErrorCode.HashValueNotFloat);
            current = text;
        }
        if (FloatValue.Add(current, incr.Delta) is not { } sum)
            return Decision.Reject(CacheErrorCode.FloatOverflow);
        var bytes = Encoding.ASCII.GetBytes(sum);
        return Written(incr.Key, incr.Field, bytes, new Found(new CacheValue(ValueKind.String, bytes)), requestId);
    }

    private Decision Written(CacheKey key, CacheKey field, byte[] value, ICacheReply reply, Guid requestId)
    {
        HashField[] fields = [new HashField(field, value)];
        var (_, count, bytes) = Effect(_table.Live(key)?.Hash, fields);
        return Refusal(count, bytes) ?? _rules.Write(requestId, reply, Sliding(new HashFieldsSet(key, fields), key));
    }

    // A collection may not grow past distcache.max-collection-elements fields, nor past
    // distcache.max-value-bytes of fields and values, as a string may not grow past the latter.
    private Decision? Refusal(long count, long bytes)
    {
        if (count > _limits.MaxCollectionElements)
            return Decision.Reject(CacheErrorCode.CollectionTooLong, count, _limits.MaxCollectionElements);
        if (bytes > _limits.MaxValueBytes)
            return Decision.Reject(CacheErrorCode.CollectionTooLarge, bytes, _limits.MaxValueBytes);
        return null;
    }

    /// <summary>What setting <paramref name="fields"/> on <paramref name="hash"/> (null: a new hash) does:
    /// the fields it adds, and the field count and bytes of fields and values it leaves.</summary>
    public static (int Added, long Count, long DataBytes) Effect(HashValue? hash, HashField[] fields)
    {
        long count = hash?.Count ?? 0;
        var bytes = hash?.DataBytes ?? 0;
        var added = 0;
        // A field given twice counts once, with its last value.
        var pending = fields.Length > 1 ? new Dictionary<CacheKey, byte[]>(fields.Length) : null;
        foreach (var (field, value) in fields)
        {
            byte[]? old = null;
            if (pending is not null && pending.TryGetValue(field, out var earlier))
                old = earlier;
            else if (hash is not null && hash.TryGet(field, out var stored))
                old = stored;
            if (old is null)
            {
                added++;
                count++;
                bytes += field.Length + value.Length;
            }
            else
            {
                bytes += value.Length - old.Length;
            }
            if (pending is not null)
                pending[field] = value;
        }
        return (added, count, bytes);
    }

    // A write is a use: on a key whose expiry slides, it slides (journaled after the change).
    private EntryChange[] Sliding(EntryChange change, CacheKey key) =>
        _table.TryGetWindow(key, out var window) ? [change, .. _rules.Slid(key, window)] : [change];
}
