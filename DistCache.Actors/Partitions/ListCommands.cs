using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The writes of the list type (<see cref="ListType"/>): LPUSH, RPUSH and their X forms, LPOP,
/// RPOP, LSET, LTRIM, LREM, LINSERT, LMOVE (RPOPLPUSH) and LMPOP, with its reads in
/// <c>ListCommands.Reads.cs</c>. Each works out a decision without changing anything; its journal event
/// carries the change (the elements pushed, the counts popped, the positions edited), never the whole list,
/// and goes through <see cref="DecisionRules.Write"/>, so a retried request id is answered from the request
/// window: a retried LPOP gets the elements it popped the first time and pops nothing more. A key holding
/// another type answers WRONGTYPE (Redis 7, t_list.c); a list whose last element goes is deleted.</summary>
public sealed partial class ListCommands
{
    private static readonly ListType Lists = ListType.Instance;

    private readonly EntryTable _table;
    private readonly DecisionRules _rules;
    private readonly PartitionLimits _limits;

    public ListCommands(EntryTable table, DecisionRules rules, PartitionLimits limits)
    {
        _table = table;
        _rules = rules;
        _limits = limits;
    }

    public Decision Push(ListPush push, Guid requestId)
    {
        var existing = _table.Live(push.Key);
        if (Lists.Conflicts(existing))
            return DataType.WrongType();
        var list = existing?.List;
        if (push.IfExists && list is null)
            return Decision.Read(new CounterValue(0));
        var bytes = list?.DataBytes ?? 0;
        foreach (var element in push.Elements)
            bytes += element.Length;
        var count = (long)(list?.Count ?? 0) + push.Elements.Length;
        if (Refusal(count, bytes) is { } refused)
            return refused;
        return _rules.Write(requestId, new CounterValue(count), Sliding(new ListPushed(push.Key, push.Left, push.Elements), push.Key));
    }

    public Decision Pop(ListPop pop, Guid requestId)
    {
        var existing = _table.Live(pop.Key);
        if (Lists.Conflicts(existing))
            return DataType.WrongType();
        if (existing?.List is not { } list)
            return Decision.Read(pop.Count is null ? new Found(null) : new ListItems(null));
        if (pop.Count == 0)
            return Decision.Read(new ListItems([]));
        var (elements, change) = ListPops.Pop(pop.Key, list, pop.Left, pop.Count ?? 1);
        ICacheReply reply = pop.Count is null ? new Found(StringType.Text(elements[0])) : new ListItems(elements);
        return _rules.Write(requestId, reply, Sliding(change, pop.Key));
    }

    public Decision SetIndex(ListSetIndex set, Guid requestId)
    {
        var existing = _table.Live(set.Key);
        if (existing is null)
            return Decision.Reject(CacheErrorCode.NoSuchKey);
        if (Lists.Conflicts(existing))
            return DataType.WrongType();
        var list = existing.Value.List!;
        if (ListPositionRules.Index(set.Index, list.Count) is not { } at)
            return Decision.Reject(CacheErrorCode.IndexOutOfRange);
        if (Refusal(list.Count, list.DataBytes - list[at].Length + set.Element.Length) is { } refused)
            return refused;
        return _rules.Write(requestId, Stored.Instance, Sliding(new ListEdited(set.Key, ListEditKind.Set, [at], set.Element), set.Key));
    }

    public Decision Trim(ListTrim trim, Guid requestId)
    {
        var existing = _table.Live(trim.Key);
        if (Lists.Conflicts(existing))
            return DataType.WrongType();
        if (existing?.List is not { } list)
            return Decision.Read(Stored.Instance);
        var (left, right) = ListPositionRules.Trim(trim.Start, trim.Stop, list.Count);
        if (left == 0 && right == 0)
            return Decision.Read(Stored.Instance);
        return left + right == list.Count
            ? _rules.Write(requestId, Stored.Instance, new EntryRemoved(trim.Key))
            : _rules.Write(requestId, Stored.Instance, Sliding(new ListTrimmed(trim.Key, left, right), trim.Key));
    }

    public Decision Remove(ListRemove remove, Guid requestId)
    {
        var existing = _table.Live(remove.Key);
        if (Lists.Conflicts(existing))
            return DataType.WrongType();
        if (existing?.List is not { } list)
            return Decision.Read(new CounterValue(0));
        var found = ListPositionRules.Matches(list, remove.Element, remove.Count);
        if (found.Length == 0)
            return Decision.Read(new CounterValue(0));
        return found.Length == list.Count
            ? _rules.Write(requestId, new CounterValue(found.Length), new EntryRemoved(remove.Key))
            : _rules.Write(requestId, new CounterValue(found.Length), Sliding(new ListEdited(remove.Key, ListEditKind.Remove, found, null), remove.Key));
    }

    public Decision Insert(ListInsert insert, Guid requestId)
    {
        var existing = _table.Live(insert.Key);
        if (Lists.Conflicts(existing))
            return DataType.WrongType();
        if (existing?.List is not { } list)
            return Decision.Read(new CounterValue(0));
        if (ListPositionRules.Matches(list, insert.Pivot, 1) is not [var pivot])
            return Decision.Read(new CounterValue(-1));
        if (Refusal(list.Count + 1L, list.DataBytes + insert.Element.Length) is { } refused)
            return refused;
        var at = insert.Before ? pivot : pivot + 1;
        return _rules.Write(requestId, new CounterValue(list.Count + 1L),
            Sliding(new ListEdited(insert.Key, ListEditKind.Insert, [at], insert.Element), insert.Key));
    }

    public Decision Move(ListMove move, Guid requestId)
    {
        var source = _table.Live(move.Key);
        if (Lists.Conflicts(source))
            return DataType.WrongType();
        if (source?.List is not { } list)
            return Decision.Read(new Found(null));
        // Redis looks at the destination only once it knows there is an element to move (t_list.c lmoveGenericCommand).
        var destination = move.Destination == move.Key ? source : _table.Live(move.Destination);
        if (Lists.Conflicts(destination))
            return DataType.WrongType();
        var element = move.FromLeft ? list[0] : list[list.Count - 1];
        var reply = new Found(StringType.Text(element));
        if (move.Destination == move.Key)
        {
            // A rotation: the same list after it unless it takes an element from one end to the other.
            return list.Count == 1 || move.FromLeft == move.ToLeft
                ? _rules.Write(requestId, reply, Sliding(null, move.Key))
                : _rules.Write(requestId, reply, [new ListTrimmed(move.Key, move.FromLeft ? 1 : 0, move.FromLeft ? 0 : 1), .. Sliding(new ListPushed(move.Key, move.ToLeft, [element]), move.Key)]);
        }
        var target = destination?.List;
        if (Refusal((target?.Count ?? 0) + 1L, (target?.DataBytes ?? 0) + element.Length) is { } refused)
            return refused;
        var (_, popped) = ListPops.Pop(move.Key, list, move.FromLeft, 1);
        return _rules.Write(requestId, reply, [.. Sliding(popped, move.Key), .. Sliding(new ListPushed(move.Destination, move.ToLeft, [element]), move.Destination)]);
    }

    public Decision MultiPop(ListMultiPop pop, Guid requestId)
    {
        foreach (var key in pop.Lists)
        {
            var existing = _table.Live(key);
            if (Lists.Conflicts(existing))
                return DataType.WrongType();
            if (existing?.List is not { } list)
                continue;
            var (elements, change) = ListPops.Pop(key, list, pop.Left, pop.Count);
            return _rules.Write(requestId, new KeyedListItems(key, elements), Sliding(change, key));
        }
        return Decision.Read(new KeyedListItems(null, []));
    }

    // A list may not grow past distcache.max-collection-elements elements, nor past distcache.max-value-bytes
    // of elements, as a hash may not.
    private Decision? Refusal(long count, long bytes)
    {
        if (count > _limits.MaxCollectionElements)
            return Decision.Reject(CacheErrorCode.CollectionTooLong, count, _limits.MaxCollectionElements);
        if (bytes > _limits.MaxValueBytes)
            return Decision.Reject(CacheErrorCode.CollectionTooLarge, bytes, _limits.MaxValueBytes);
        return null;
    }

    // A write is a use: on a key whose expiry slides, it slides (journaled after the change). A removed key
    // has nothing left to slide.
    private EntryChange[] Sliding(EntryChange? change, CacheKey key)
    {
        if (change is EntryRemoved)
            return [change];
        EntryChange[] changes = change is null ? [] : [change];
        return _table.TryGetWindow(key, out var window) ? [.. changes, .. _rules.Slid(key, window)] : changes;
    }
}
