using System.Text;
using System.Text.Unicode;
using DistCache.Client;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

// The range, float and multi-key commands (GETRANGE, SETRANGE, INCRBYFLOAT, MSETNX, RENAME, COPY). Each
// journals its outcome with the existing change types (the value or expiry it leaves), so the stored
// format is unchanged and replay never recomputes.
public sealed partial class PartitionState
{
    private Decision DecideGetRange(GetRange range) =>
        Read(range.Key, e => new Found(Text(e is { } found ? StringRange.Slice(Readable(found), range.Start, range.End) : [])));

    private Decision DecideSetRange(SetRange range, Guid requestId)
    {
        var existing = _table.Live(range.Key);
        byte[] current = [];
        var kind = ValueKind.String;
        if (existing is { } e && !TryWritableText(e, out current, out kind))
            return Decision.Reject(CacheErrorCode.WrongType);
        // An empty write changes nothing and creates nothing (Redis answers the length as it is).
        if (range.Data.Length == 0)
            return Decision.Read(new CounterValue(current.Length));
        var length = StringRange.LengthAfter(current.Length, range.Offset, range.Data.Length);
        if (length > _limits.MaxValueBytes)
            return Decision.Reject(CacheErrorCode.ValueTooLarge, length, _limits.MaxValueBytes);
        var data = StringRange.Overwrite(current, range.Offset, range.Data);
        var value = new CacheValue(kind == ValueKind.Bytes || !Utf8.IsValid(data) ? ValueKind.Bytes : ValueKind.String, data);
        return Write(requestId, new CounterValue(length), KeepingExpiry(new EntrySet(range.Key, value, existing?.ExpiresAt ?? 0)));
    }

    private Decision DecideSetBit(SetBit setBit, Guid requestId)
    {
        var existing = _table.Live(setBit.Key);
        byte[] current = [];
        var kind = ValueKind.String;
        if (existing is { } e && !TryWritableText(e, out current, out kind))
            return Decision.Reject(CacheErrorCode.WrongType);
        var old = BitString.Get(current, setBit.Offset);
        var length = BitString.LengthAfter(current.Length, setBit.Offset);
        // The bit already has the value and the string need not grow: nothing to journal.
        if (existing is not null && old == (setBit.On ? 1 : 0) && length == current.Length)
            return Decision.Read(new CounterValue(old));
        if (length > _limits.MaxValueBytes)
            return Decision.Reject(CacheErrorCode.ValueTooLarge, length, _limits.MaxValueBytes);
        var data = BitString.Set(current, setBit.Offset, setBit.On);
        var value = new CacheValue(kind == ValueKind.Bytes || !Utf8.IsValid(data) ? ValueKind.Bytes : ValueKind.String, data);
        return Write(requestId, new CounterValue(old), KeepingExpiry(new EntrySet(setBit.Key, value, existing?.ExpiresAt ?? 0)));
    }

    private Decision DecideIncrementByFloat(IncrementByFloat incr, Guid requestId)
    {
        var existing = _table.Live(incr.Key);
        var current = "0";
        if (existing is { } e)
        {
            if (FloatValue.TextOf(Readable(e)) is not { } text)
                return Decision.Reject(CacheErrorCode.NotAFloat);
            current = text;
        }
        if (FloatValue.Add(current, incr.Delta) is not { } sum)
            return Decision.Reject(CacheErrorCode.FloatOverflow);
        var value = new CacheValue(ValueKind.String, Encoding.UTF8.GetBytes(sum));
        // Like INCR, the key keeps its expiry (Redis propagates INCRBYFLOAT as SET … KEEPTTL).
        return Write(requestId, new Found(value), KeepingExpiry(new EntrySet(incr.Key, value, existing?.ExpiresAt ?? 0)));
    }

    private Decision DecideMultiSetIfAbsent(MultiSetIfAbsent msetnx, Guid requestId)
    {
        foreach (var entry in msetnx.Entries)
        {
            if (_table.Live(entry.Key) is not null)
                return Decision.Read(new Written(false));
        }
        return Write(requestId, new Written(true), msetnx.Entries.Select(e => (EntryChange)new EntrySet(e.Key, e.Value, 0)).ToArray());
    }

    private Decision DecideRename(RenameKey rename, Guid requestId)
    {
        if (_table.Live(rename.Key) is not { } source)
            return Decision.Reject(CacheErrorCode.NoSuchKey);
        ICacheReply done = rename.IfAbsent ? new Written(true) : Stored.Instance;
        // Redis answers a rename onto itself without touching the key (RENAMENX says 0: the name is taken).
        if (rename.Key == rename.NewKey)
            return Decision.Read(rename.IfAbsent ? new Written(false) : Stored.Instance);
        if (rename.IfAbsent && _table.Live(rename.NewKey) is not null)
            return Decision.Read(new Written(false));
        return Write(requestId, done, [.. Moved(rename.Key, source, rename.NewKey), new EntryRemoved(rename.Key)]);
    }

    private Decision DecideCopy(CopyKey copy, Guid requestId)
    {
        if (_table.Live(copy.Key) is not { } source)
            return Decision.Read(new Existence(false));
        if (!copy.Replace && _table.Live(copy.Destination) is not null)
            return Decision.Read(new Existence(false));
        return Write(requestId, new Existence(true), Moved(copy.Key, source, copy.Destination));
    }

    // RANDOMKEY: a few random picks, skipping keys that have expired but are not collected yet. O(keys)
    // per pick (a dictionary has no random access); RANDOMKEY is rare enough for that.
    private CacheKey? PickRandomKey()
    {
        for (var attempt = 0; attempt < 8 && _table.Count > 0; attempt++)
        {
            var key = _table.Entries.Keys.ElementAt(Random.Shared.Next(_table.Count));
            if (_table.Live(key) is not null)
                return key;
        }
        RemoveExpired();
        return _table.Count > 0 ? _table.Entries.Keys.First() : (CacheKey?)null;
    }

    // The value and expiry of one key set on another; a sliding expiry keeps its window.
    private EntryChange[] Moved(CacheKey from, CacheEntry source, CacheKey to)
    {
        var set = new EntrySet(to, new CacheValue(source.Kind, (byte[])source.Data.Clone()), source.ExpiresAt);
        return _table.TryGetWindow(from, out var window)
            ? [set, new EntrySliding(to, window.WindowMs, window.NotAfter)]
            : [set];
    }

    // What a value reads as over RESP: strings and bytes as they are, numbers and booleans as their text.
    private static byte[] Readable(CacheEntry entry) => entry.Kind switch
    {
        ValueKind.String or ValueKind.Bytes or ValueKind.Object => entry.Data,
        _ => Encoding.UTF8.GetBytes(ValueCodec.ToText(entry.Value)),
    };

    // The text SETRANGE may write into: APPEND's rule (strings, bytes and integers, not a .NET client's
    // binary double, boolean or object).
    private static bool TryWritableText(CacheEntry entry, out byte[] text, out ValueKind kind)
    {
        kind = entry.Kind == ValueKind.Bytes ? ValueKind.Bytes : ValueKind.String;
        text = entry.Kind is ValueKind.String or ValueKind.Bytes ? entry.Data
            : IntegerValue.TryRead(entry.Value, out _) ? Readable(entry)
            : [];
        return entry.Kind is ValueKind.String or ValueKind.Bytes || IntegerValue.TryRead(entry.Value, out _);
    }

    private static CacheValue Text(byte[] data) => new(Utf8.IsValid(data) ? ValueKind.String : ValueKind.Bytes, data);
}
