using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The rules every command's decision follows, whatever type of value it touches: a write fits
/// the partition's memory budget (evicting first when the policy allows, refused otherwise), and a use of
/// a key whose expiry slides moves that expiry on and journals it. Reads the <see cref="EntryTable"/>,
/// never changes it.</summary>
public sealed class DecisionRules
{
    private readonly EntryTable _table;
    private readonly MemoryPolicy _memory;

    public DecisionRules(EntryTable table, MemoryPolicy memory)
    {
        _table = table;
        _memory = memory;
    }

    /// <summary>A single-key read, refused with WRONGTYPE when the key holds a value of another type than
    /// <paramref name="type"/> (null: any type). On a key with a sliding expiry the read moves the expiry on,
    /// and that is journaled (without the reply: a retry of a read needs no remembered answer), so a restart
    /// does not bring the key back with the expiry it had before the read.</summary>
    public Decision Read(CacheKey key, DataType? type, Func<CacheEntry?, ICacheReply> reply)
    {
        var entry = _table.Touch(key);
        if (type is not null && type.Conflicts(entry))
            return DataType.WrongType();
        if (entry is null || !_table.TryGetWindow(key, out var window))
            return Decision.Read(reply(entry));
        return new Decision(new PartitionChanged(Guid.Empty, null, Slid(key, window)), reply(entry));
    }

    /// <summary>A write, with the evictions the memory limit requires first.</summary>
    public Decision Write(Guid requestId, ICacheReply reply, params EntryChange[] changes)
    {
        var budget = _memory.BudgetBytes();
        if (budget > 0)
        {
            var used = _table.UsedBytes;
            var growth = Growth(changes);
            if (growth > 0 && used + growth > budget)
            {
                if (Evictions(used + growth - budget, changes) is not { } evictions)
                    return Decision.Reject(CacheErrorCode.OutOfMemory, used + growth, budget);
                changes = [.. evictions, .. changes];
            }
        }
        return new Decision(new PartitionChanged(requestId, reply, changes), reply);
    }

    /// <summary>The journal events that slide a key's expiry on a use now, and keep its window.</summary>
    public EntryChange[] Slid(CacheKey key, SlidingWindow window) =>
        [new EntryExpiry(key, ExpiryRules.Slide(_table.Now, window.WindowMs, window.NotAfter)), new EntrySliding(key, window.WindowMs, window.NotAfter)];

    /// <summary>A write that sets a sliding expiry carries its window too, so recovery slides the key the same way.</summary>
    public EntryChange[] WithWindow(EntryChange change, CacheKey key, Expiry expiry) =>
        expiry.Kind == ExpiryKind.Sliding ? [change, new EntrySliding(key, expiry.Milliseconds, ExpiryRules.SlidingLimit(expiry, _table.Now))] : [change];

    /// <summary>A write that keeps the key's expiry (INCR, APPEND); on a sliding key it slides it and keeps the window.</summary>
    public EntryChange[] KeepingExpiry(EntrySet set)
    {
        if (!_table.TryGetWindow(set.Key, out var window))
            return [set];
        return [set with { ExpiresAt = ExpiryRules.Slide(_table.Now, window.WindowMs, window.NotAfter) }, new EntrySliding(set.Key, window.WindowMs, window.NotAfter)];
    }

    public static Decision InvalidExpiry() => Decision.Reject(CacheErrorCode.InvalidExpireTime);

    private long Growth(EntryChange[] changes)
    {
        long growth = 0;
        foreach (var change in changes)
        {
            if (change is EntrySet set)
                growth += CacheEntry.SizeOf(set.Key, set.Value) - _table.SizeOf(set.Key);
            else if (change is EntryRemoved removed)
                growth -= _table.SizeOf(removed.Key);
            else if (change is HashFieldsSet fields)
                growth += HashGrowth(fields);
            else if (change is HashReplaced replaced)
                growth += HashType.SizeOf(replaced.Key, replaced.Fields) - _table.SizeOf(replaced.Key);
            else if (change is ListPushed or ListEdited)
                growth += ListGrowth(change);
            else if (change is ListReplaced list)
                growth += ListType.SizeOf(list.Key, list.Elements) - _table.SizeOf(list.Key);
            else if (change is ZSetMembersScored scored)
                growth += SortedSetGrowth(scored);
            else if (change is ZSetReplaced zreplaced)
                growth += SortedSetType.SizeOf(zreplaced.Key, zreplaced.Members) - _table.SizeOf(zreplaced.Key);
            else if (change is SetMembersAdded added)
                growth += SetGrowth(added);
            else if (change is SetReplaced setReplaced)
                growth += SetType.SizeOf(setReplaced.Key, setReplaced.Members) - _table.SizeOf(setReplaced.Key);
        }
        return growth;
    }

    // The fields a write adds or changes count, never the hash as a whole: a 100,000-field hash is not
    // recounted per write. A new hash adds an entry's overhead too.
    private long HashGrowth(HashFieldsSet set)
    {
        var hash = _table.Live(set.Key)?.Hash;
        var (_, count, bytes) = HashCommands.Effect(hash, set.Fields);
        var after = count * HashValue.FieldOverheadBytes + bytes;
        return hash is null ? CacheEntry.SizeOf(set.Key, after) : after - hash.PayloadBytes;
    }

    // The elements a write adds or changes count, never the list as a whole (a pop or trim frees, and is
    // counted as nothing). A new list adds an entry's overhead too.
    private long ListGrowth(EntryChange change)
    {
        if (change is ListEdited edited)
        {
            var list = _table.Live(edited.Key)?.List;
            return edited.Kind switch
            {
                ListEditKind.Set when list is not null && edited.Indexes is [var at] && at < list.Count => edited.Element!.Length - list[(int)at].Length,
                ListEditKind.Insert => edited.Element!.Length + ListValue.ElementOverheadBytes,
                _ => 0,
            };
        }
        var pushed = (ListPushed)change;
        long bytes = 0;
        foreach (var element in pushed.Elements)
            bytes += element.Length + ListValue.ElementOverheadBytes;
        return _table.Live(pushed.Key)?.List is null ? CacheEntry.SizeOf(pushed.Key, bytes) : bytes;
    }

    // Only the members a write adds count (a changed score costs nothing); a new set adds an entry's overhead.
    private long SortedSetGrowth(ZSetMembersScored scored)
    {
        var set = _table.Live(scored.Key)?.SortedSet;
        var (count, bytes) = SortedSetCommands.Effect(set, scored.Members);
        var after = count * SortedSetValue.MemberOverheadBytes + bytes;
        return set is null ? CacheEntry.SizeOf(scored.Key, after) : after - set.PayloadBytes;
    }

    // The members a write adds count (decisions journal only members not there yet), never the set as a
    // whole. A new set adds an entry's overhead too.
    private long SetGrowth(SetMembersAdded added)
    {
        long bytes = 0;
        foreach (var member in added.Members)
            bytes += member.Length + MemberSet.MemberOverheadBytes;
        return _table.Live(added.Key)?.Set is null ? CacheEntry.SizeOf(added.Key, bytes) : bytes;
    }

    /// <summary>The evictions that free <paramref name="needed"/> bytes without evicting a key the write
    /// itself sets, or null when the policy cannot.</summary>
    private List<EntryChange>? Evictions(long needed, EntryChange[] changes)
    {
        var written = changes.Select(c => c switch
        {
            EntrySet s => s.Key,
            HashFieldsSet h => h.Key,
            HashReplaced r => r.Key,
            ListPushed l => l.Key,
            ListEdited l => l.Key,
            ListReplaced l => l.Key,
            ZSetMembersScored z => z.Key,
            ZSetReplaced z => z.Key,
            SetMembersAdded a => a.Key,
            SetReplaced s => s.Key,
            _ => default,
        }).Where(k => !k.IsNull).ToHashSet();
        return _table.KeysToEvict(needed, written)?.Select(key => (EntryChange)new EntryRemoved(key, Evicted: true)).ToList();
    }
}
