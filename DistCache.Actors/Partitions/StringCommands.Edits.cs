using System.Text;
using System.Text.Unicode;
using DistCache.Client;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

// The string commands that read or rewrite part of a string (APPEND, GETRANGE, SETRANGE, SETBIT) or its
// number (INCRBYFLOAT). Each journals the whole string it leaves and keeps the key's expiry (a sliding one
// slides: a write is a use), as Redis propagates them.
public sealed partial class StringCommands
{
    public Decision GetRange(GetRange range) =>
        _rules.Read(range.Key, Strings, e => new Found(StringType.Text(e is { } found ? StringRange.Slice(StringType.Readable(found), range.Start, range.End) : [])));

    public Decision Append(AppendValue append, Guid requestId)
    {
        var existing = _table.Live(append.Key);
        byte[] current = [];
        var kind = ValueKind.String;
        if (Strings.Conflicts(existing) || (existing is { } e && !StringType.TryEditableText(e, out current, out kind)))
            return DataType.WrongType();

        var length = (long)current.Length + append.Data.Length;
        if (length > _limits.MaxValueBytes)
            return Decision.Reject(CacheErrorCode.ValueTooLarge, length, _limits.MaxValueBytes);
        var data = append.Prepend ? [.. append.Data, .. current] : (byte[])[.. current, .. append.Data];
        return _rules.Write(requestId, new CounterValue(length), _rules.KeepingExpiry(new EntrySet(append.Key, new CacheValue(kind, data), existing?.ExpiresAt ?? 0)));
    }

    public Decision SetRange(SetRange range, Guid requestId)
    {
        var existing = _table.Live(range.Key);
        byte[] current = [];
        var kind = ValueKind.String;
        if (Strings.Conflicts(existing) || (existing is { } e && !StringType.TryEditableText(e, out current, out kind)))
            return DataType.WrongType();
        // An empty write changes nothing and creates nothing (Redis answers the length as it is).
        if (range.Data.Length == 0)
            return Decision.Read(new CounterValue(current.Length));
        var length = StringRange.LengthAfter(current.Length, range.Offset, range.Data.Length);
        if (length > _limits.MaxValueBytes)
            return Decision.Reject(CacheErrorCode.ValueTooLarge, length, _limits.MaxValueBytes);
        var data = StringRange.Overwrite(current, range.Offset, range.Data);
        var value = new CacheValue(kind == ValueKind.Bytes || !Utf8.IsValid(data) ? ValueKind.Bytes : ValueKind.String, data);
        return _rules.Write(requestId, new CounterValue(length), _rules.KeepingExpiry(new EntrySet(range.Key, value, existing?.ExpiresAt ?? 0)));
    }

    public Decision SetBit(SetBit setBit, Guid requestId)
    {
        var existing = _table.Live(setBit.Key);
        byte[] current = [];
        var kind = ValueKind.String;
        if (Strings.Conflicts(existing) || (existing is { } e && !StringType.TryEditableText(e, out current, out kind)))
            return DataType.WrongType();
        var old = BitString.Get(current, setBit.Offset);
        var length = BitString.LengthAfter(current.Length, setBit.Offset);
        // The bit already has the value and the string need not grow: nothing to journal.
        if (existing is not null && old == (setBit.On ? 1 : 0) && length == current.Length)
            return Decision.Read(new CounterValue(old));
        if (length > _limits.MaxValueBytes)
            return Decision.Reject(CacheErrorCode.ValueTooLarge, length, _limits.MaxValueBytes);
        var data = BitString.Set(current, setBit.Offset, setBit.On);
        var value = new CacheValue(kind == ValueKind.Bytes || !Utf8.IsValid(data) ? ValueKind.Bytes : ValueKind.String, data);
        return _rules.Write(requestId, new CounterValue(old), _rules.KeepingExpiry(new EntrySet(setBit.Key, value, existing?.ExpiresAt ?? 0)));
    }

    public Decision IncrementByFloat(IncrementByFloat incr, Guid requestId)
    {
        var existing = _table.Live(incr.Key);
        if (Strings.Conflicts(existing))
            return DataType.WrongType();
        var current = "0";
        if (existing is { } e)
        {
            if (FloatValue.TextOf(StringType.Readable(e)) is not { } text)
                return Decision.Reject(CacheErrorCode.NotAFloat);
            current = text;
        }
        if (FloatValue.Add(current, incr.Delta) is not { } sum)
            return Decision.Reject(CacheErrorCode.FloatOverflow);
        var value = new CacheValue(ValueKind.String, Encoding.UTF8.GetBytes(sum));
        // Like INCR, the key keeps its expiry (Redis propagates INCRBYFLOAT as SET … KEEPTTL).
        return _rules.Write(requestId, new Found(value), _rules.KeepingExpiry(new EntrySet(incr.Key, value, existing?.ExpiresAt ?? 0)));
    }
}
