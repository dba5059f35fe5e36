using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The writes of the set type (<see cref="SetType"/>): SADD, SREM, SPOP, SMOVE and the STORE forms
/// of SINTER, SUNION and SDIFF, with its reads in <c>SetCommands.Reads.cs</c>. Each works out a decision
/// without changing anything; its journal event names the members it changed, never the whole set (a STORE
/// form's destination is replaced once), and goes through <see cref="DecisionRules.Write"/>, so a retried
/// request id is answered from the request window and applied once: a retried SPOP answers the members
/// the first attempt popped and pops nothing more. A key holding another type answers WRONGTYPE (Redis 7,
/// t_set.c); a set whose last member goes is deleted; the key keeps its expiry (a sliding one slides).</summary>
public sealed partial class SetCommands
{
    private static readonly SetType Sets = SetType.Instance;

    private readonly EntryTable _table;
    private readonly DecisionRules _rules;
    private readonly PartitionLimits _limits;

    public SetCommands(EntryTable table, DecisionRules rules, PartitionLimits limits)
    {
        _table = table;
        _rules = rules;
        _limits = limits;
    }

    public Decision Add(SetAddMembers add, Guid requestId)
    {
        var existing = _table.Live(add.Key);
        if (Sets.Conflicts(existing))
            return DataType.WrongType();
        var set = existing?.Set;
        var added = New(set, add.Members);
        if (added.Length == 0)
            return Decision.Read(new CounterValue(0));
        var bytes = set?.DataBytes ?? 0;
        foreach (var member in added)
            bytes += member.Length;
        if (Refusal((set?.Count ?? 0) + (long)added.Length, bytes) is { } refused)
            return refused;
        return _rules.Write(requestId, new CounterValue(added.Length), Sliding(new SetMembersAdded(add.Key, added), add.Key));
    }

    public Decision Remove(SetRemoveMembers remove, Guid requestId)
    {
        var existing = _table.Live(remove.Key);
        if (Sets.Conflicts(existing))
            return DataType.WrongType();
        if (existing?.Set is not { } set)
            return Decision.Read(new CounterValue(0));
        var removed = new HashSet<CacheKey>();
        foreach (var member in remove.Members)
        {
            if (set.Contains(member))
                removed.Add(member);
        }
        if (removed.Count == 0)
            return Decision.Read(new CounterValue(0));
        return _rules.Write(requestId, new CounterValue(removed.Count), Removal(remove.Key, set, [.. removed]));
    }

    /// <summary>SPOP: the members popped are the reply, journaled with the write (a stored reply kind of its
    /// own), so a retry after a failover answers them again instead of popping others.</summary>
    public Decision Pop(SetPop pop, Guid requestId)
    {
        var existing = _table.Live(pop.Key);
        if (Sets.Conflicts(existing))
            return DataType.WrongType();
        if (existing?.Set is not { } set || pop.Count is 0 or < 0)
            return Decision.Read(new SetMembers([]));
        var popped = Pick(set, pop.Count ?? 1);
        return _rules.Write(requestId, new SetMembers(popped), Removal(pop.Key, set, popped));
    }

    /// <summary>SMOVE (t_set.c smoveCommand): a missing source answers 0 whatever the destination holds;
    /// then either key holding another type answers WRONGTYPE; a move onto itself answers membership and
    /// changes nothing; a member already in the destination only leaves the source.</summary>
    public Decision Move(SetMove move, Guid requestId)
    {
        var source = _table.Live(move.Key);
        if (source is null)
            return Decision.Read(new Written(false));
        var destination = _table.Live(move.Destination);
        if (Sets.Conflicts(source) || Sets.Conflicts(destination))
            return DataType.WrongType();
        var from = source.Value.Set!;
        if (move.Key == move.Destination)
            return Decision.Read(new Written(from.Contains(move.Member)));
        if (!from.Contains(move.Member))
            return Decision.Read(new Written(false));
        var changes = new List<EntryChange>(Removal(move.Key, from, [move.Member]));
        var to = destination?.Set;
        if (to is null || !to.Contains(move.Member))
        {
            if (Refusal((to?.Count ?? 0) + 1L, (to?.DataBytes ?? 0) + move.Member.Length) is { } refused)
                return refused;
            changes.AddRange(Sliding(new SetMembersAdded(move.Destination, [move.Member]), move.Destination));
        }
        return _rules.Write(requestId, new Written(true), [.. changes]);
    }

    /// <summary>SINTERSTORE, SUNIONSTORE, SDIFFSTORE: every source must be a set (or missing); the destination
    /// is overwritten whatever it held and loses its expiry, as Redis's setKey; an empty result deletes it.</summary>
    public Decision Store(SetStore store, Guid requestId)
    {
        var sets = new MemberSet?[store.Sources.Length];
        for (var i = 0; i < sets.Length; i++)
        {
            var entry = _table.Live(store.Sources[i]);
            if (Sets.Conflicts(entry))
                return DataType.WrongType();
            sets[i] = entry?.Set;
        }
        var result = SetAlgebra.Combine(store.Operation, sets);
        if (result.Count == 0)
            return _table.Live(store.Key) is null
                ? Decision.Read(new CounterValue(0))
                : _rules.Write(requestId, new CounterValue(0), new EntryRemoved(store.Key));
        long bytes = 0;
        foreach (var member in result)
            bytes += member.Length;
        if (Refusal(result.Count, bytes) is { } refused)
            return refused;
        return _rules.Write(requestId, new CounterValue(result.Count), new SetReplaced(store.Key, [.. result], 0));
    }

    // The members not yet in the set, each once.
    private static CacheKey[] New(MemberSet? set, CacheKey[] members)
    {
        var added = new List<CacheKey>(members.Length);
        HashSet<CacheKey>? seen = members.Length > 1 ? new HashSet<CacheKey>(members.Length) : null;
        foreach (var member in members)
        {
            if ((set is null || !set.Contains(member)) && (seen is null || seen.Add(member)))
                added.Add(member);
        }
        return [.. added];
    }

    // Redis deletes a set with its last member: the key goes, not a set of nothing.
    private EntryChange[] Removal(CacheKey key, MemberSet set, CacheKey[] members) =>
        members.Length == set.Count ? [new EntryRemoved(key)] : Sliding(new SetMembersRemoved(key, members), key);

    // A collection may not grow past distcache.max-collection-elements members, nor past
    // distcache.max-value-bytes of members, as a string may not grow past the latter.
    private Decision? Refusal(long count, long bytes)
    {
        if (count > _limits.MaxCollectionElements)
            return Decision.Reject(CacheErrorCode.CollectionTooLong, count, _limits.MaxCollectionElements);
        if (bytes > _limits.MaxValueBytes)
            return Decision.Reject(CacheErrorCode.CollectionTooLarge, bytes, _limits.MaxValueBytes);
        return null;
    }

    // A write is a use: on a key whose expiry slides, it slides (journaled after the change).
    private EntryChange[] Sliding(EntryChange change, CacheKey key) =>
        _table.TryGetWindow(key, out var window) ? [change, .. _rules.Slid(key, window)] : [change];
}
