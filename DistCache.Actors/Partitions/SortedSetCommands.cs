using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The writes of the sorted-set type (<see cref="SortedSetType"/>): ZADD (and ZINCRBY), ZREM,
/// ZREMRANGEBY*, ZPOPMIN/ZPOPMAX, ZMPOP and the STORE commands, with the reads in
/// <c>SortedSetCommands.Reads.cs</c>. Each works out a decision without changing anything; its journal
/// event names the members it changed (with their new scores), never the whole set, and goes through
/// <see cref="DecisionRules.Write"/>, so a retried request id is answered from the request window (a pop
/// answers the members it popped the first time) and applied once. WRONGTYPE on another type (Redis 7,
/// t_zset.c); a set whose last member goes is deleted; the key keeps its expiry (a sliding one slides).</summary>
public sealed partial class SortedSetCommands
{
    private static readonly SortedSetType SortedSets = SortedSetType.Instance;

    private readonly EntryTable _table;
    private readonly DecisionRules _rules;
    private readonly PartitionLimits _limits;

    public SortedSetCommands(EntryTable table, DecisionRules rules, PartitionLimits limits)
    {
        _table = table;
        _rules = rules;
        _limits = limits;
    }

    /// <summary>ZADD with its flags, and ZINCRBY (ZADD INCR), as zsetAdd decides each member in turn.</summary>
    public Decision Add(SortedSetAdd add, Guid requestId)
    {
        var existing = _table.Live(add.Key);
        if (SortedSets.Conflicts(existing))
            return DataType.WrongType();
        var set = existing?.SortedSet;
        // XX on a missing key creates nothing (Redis answers before creating it).
        var pending = new Dictionary<CacheKey, double>();
        var written = new List<SortedSetEntry>(add.Entries.Length);
        long added = 0, updated = 0;
        var incremented = new SortedSetScore(false, 0);
        foreach (var (member, score) in add.Entries)
        {
            var exists = pending.TryGetValue(member, out var current) || (set is not null && set.TryGetScore(member, out current));
            var next = score;
            if (exists)
            {
                if (add.When == SortedSetWhen.IfAbsent)
                    continue;
                if (add.Increment)
                {
                    next = current + score;
                    if (double.IsNaN(next))
                        return Decision.Reject(CacheErrorCode.ScoreNotANumber);
                }
                if ((add.LessThan && next >= current) || (add.GreaterThan && next <= current))
                    continue;
                if (add.Increment)
                    incremented = new SortedSetScore(true, next);
                if (next.Equals(current))
                    continue;
                updated++;
            }
            else
            {
                if (add.When == SortedSetWhen.IfPresent)
                    continue;
                if (add.Increment)
                    incremented = new SortedSetScore(true, next);
                added++;
            }
            pending[member] = next;
            written.Add(new SortedSetEntry(member, next));
        }
        ICacheReply reply = add.Increment ? incremented : new CounterValue(add.Changed ? added + updated : added);
        if (written.Count == 0)
            return Decision.Read(reply);
        var members = written.ToArray();
        var (count, bytes) = Effect(set, members);
        return Refusal(count, bytes) ?? _rules.Write(requestId, reply, Sliding(new ZSetMembersScored(add.Key, members), add.Key));
    }

    public Decision Remove(SortedSetRemove remove, Guid requestId)
    {
        var existing = _table.Live(remove.Key);
        if (SortedSets.Conflicts(existing))
            return DataType.WrongType();
        if (existing?.SortedSet is not { } set)
            return Decision.Read(new CounterValue(0));
        var removed = new HashSet<CacheKey>();
        foreach (var member in remove.Members)
        {
            if (set.TryGetScore(member, out _))
                removed.Add(member);
        }
        return Removed(remove.Key, set, [.. removed], new CounterValue(removed.Count), requestId);
    }

    public Decision RemoveRange(SortedSetRemoveRange remove, Guid requestId)
    {
        var existing = _table.Live(remove.Key);
        if (SortedSets.Conflicts(existing))
            return DataType.WrongType();
        var set = existing?.SortedSet;
        var nodes = SortedSetRanges.Select(set, remove.Range);
        return Removed(remove.Key, set, nodes.Select(n => n.Member).ToArray(), new CounterValue(nodes.Count), requestId);
    }

    /// <summary>ZPOPMIN, ZPOPMAX: the reply lists what was popped and is journaled with the removal.</summary>
    public Decision Pop(SortedSetPop pop, Guid requestId)
    {
        var existing = _table.Live(pop.Key);
        if (SortedSets.Conflicts(existing))
            return DataType.WrongType();
        var popped = Popped(existing?.SortedSet, pop.Count, pop.Max);
        return Removed(pop.Key, existing?.SortedSet, popped.Select(e => e.Member).ToArray(), new SortedSetEntries(popped), requestId);
    }

    /// <summary>ZMPOP: the first key holding a sorted set is popped; WRONGTYPE for a key of another type met first.</summary>
    public Decision MultiPop(SortedSetMultiPop pop, Guid requestId)
    {
        foreach (var key in pop.Sources)
        {
            var existing = _table.Live(key);
            if (SortedSets.Conflicts(existing))
                return DataType.WrongType();
            if (existing?.SortedSet is not { Count: > 0 } set)
                continue;
            var popped = Popped(set, pop.Count, pop.Max);
            return Removed(key, set, popped.Select(e => e.Member).ToArray(), new SortedSetPopped(key, popped), requestId);
        }
        return Decision.Read(new SortedSetPopped(null, []));
    }

    /// <summary>The members ZPOPMIN/ZPOPMAX take: pure, so a blocking pop's waiter can use it too.</summary>
    public static SortedSetEntry[] Popped(SortedSetValue? set, long count, bool max)
    {
        if (set is null || count <= 0)
            return [];
        var take = (int)Math.Min(count, set.Count);
        var popped = new SortedSetEntry[take];
        var node = max ? set.Index.Last : set.Index.First;
        for (var i = 0; i < take && node is not null; i++)
        {
            popped[i] = new SortedSetEntry(node.Member, node.Score);
            node = max ? node.Backward : node.Next;
        }
        return popped;
    }

    /// <summary>ZRANGESTORE: the destination is replaced by the range (deleted when it is empty).</summary>
    public Decision RangeStore(SortedSetRangeStore store, Guid requestId)
    {
        var query = store.Query;
        var source = _table.Live(query.Key);
        if (SortedSets.Conflicts(source))
            return DataType.WrongType();
        var nodes = SortedSetRanges.Select(source?.SortedSet, query.Range, query.Reverse, query.Offset, query.Limit);
        return Stored(store.Destination, nodes.Select(n => new SortedSetEntry(n.Member, n.Score)).ToArray(), requestId);
    }

    /// <summary>ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE over keys of this partition; a source may be a plain set.
    /// The result is journaled whole (<see cref="ZSetReplaced"/>), whatever types the sources held.</summary>
    public Decision CombineStore(SortedSetCombineStore store, Guid requestId)
    {
        var sources = new SortedSetEntry[]?[store.Sources.Length];
        for (var i = 0; i < sources.Length; i++)
        {
            var source = _table.Live(store.Sources[i]);
            if (!SortedSetAlgebra.Accepts(source))
                return DataType.WrongType();
            sources[i] = SortedSetAlgebra.InputOf(source);
        }
        return Stored(store.Destination, SortedSetAlgebra.Combine(store.Operation, sources, store.Weights, store.Aggregate), requestId);
    }

    // A STORE's destination holds the result whatever it held (Redis overwrites any type), without expiry.
    private Decision Stored(CacheKey destination, SortedSetEntry[] members, Guid requestId)
    {
        var reply = new CounterValue(members.Length);
        if (members.Length == 0)
            return _table.Live(destination) is null ? Decision.Read(reply) : _rules.Write(requestId, reply, new EntryRemoved(destination));
        long bytes = 0;
        foreach (var member in members)
            bytes += member.Member.Length + sizeof(double);
        return Refusal(members.Length, bytes) ?? _rules.Write(requestId, reply, new ZSetReplaced(destination, members, 0));
    }

    // Removing every member deletes the key, as Redis does; removing none changes nothing.
    private Decision Removed(CacheKey key, SortedSetValue? set, CacheKey[] members, ICacheReply reply, Guid requestId)
    {
        if (set is null || members.Length == 0)
            return Decision.Read(reply);
        return members.Length == set.Count
            ? _rules.Write(requestId, reply, new EntryRemoved(key))
            : _rules.Write(requestId, reply, Sliding(new ZSetMembersRemoved(key, members), key));
    }

    // A collection may not grow past distcache.max-collection-elements members, nor past
    // distcache.max-value-bytes of members (and their 8-byte scores).
    private Decision? Refusal(long count, long bytes)
    {
        if (count > _limits.MaxCollectionElements)
            return Decision.Reject(CacheErrorCode.CollectionTooLong, count, _limits.MaxCollectionElements);
        if (bytes > _limits.MaxValueBytes)
            return Decision.Reject(CacheErrorCode.CollectionTooLarge, bytes, _limits.MaxValueBytes);
        return null;
    }

    /// <summary>The member count and member bytes <paramref name="set"/> (null: a new set) has after
    /// scoring <paramref name="members"/>: only members not there yet add.</summary>
    public static (long Count, long DataBytes) Effect(SortedSetValue? set, SortedSetEntry[] members)
    {
        long count = set?.Count ?? 0;
        var bytes = set?.DataBytes ?? 0;
        HashSet<CacheKey>? seen = members.Length > 1 ? new HashSet<CacheKey>(members.Length) : null;
        foreach (var entry in members)
        {
            if ((set is not null && set.TryGetScore(entry.Member, out _)) || (seen is not null && !seen.Add(entry.Member)))
                continue;
            count++;
            bytes += entry.Member.Length + sizeof(double);
        }
        return (count, bytes);
    }

    // A write is a use: on a key whose expiry slides, it slides (journaled after the change).
    private EntryChange[] Sliding(EntryChange change, CacheKey key) =>
        _table.TryGetWindow(key, out var window) ? [change, .. _rules.Slid(key, window)] : [change];
}
