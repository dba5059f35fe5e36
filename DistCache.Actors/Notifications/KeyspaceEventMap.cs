using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Actors.Notifications;

/// <summary>The keyspace events of one applied write, as Redis 7.0 emits them for the command (the names of
/// t_string.c, t_list.c, t_hash.c, t_set.c, t_zset.c, db.c, expire.c; compared with redis-server 7.0.15, see
/// docs/keyspace-events-redis-7.0.15.txt). The partition's changes say which keys a write actually changed,
/// so a write that changed nothing emits nothing, as in Redis. Evictions come first: Redis evicts before it
/// runs the command. "new" comes from <see cref="AddNew"/>, with the keys the partition found missing before the write.</summary>
public static class KeyspaceEventMap
{
    private const KeyspaceEventClasses G = KeyspaceEventClasses.Generic;
    private const KeyspaceEventClasses S = KeyspaceEventClasses.String;
    private const KeyspaceEventClasses L = KeyspaceEventClasses.List;
    private const KeyspaceEventClasses H = KeyspaceEventClasses.Hash;
    private const KeyspaceEventClasses St = KeyspaceEventClasses.Set;
    private const KeyspaceEventClasses Z = KeyspaceEventClasses.SortedSet;

    /// <summary>Inserts Redis's "new" (class n) for each key the write created, where Redis's dbAdd fires it: before
    /// the first of that key's events (SET: new, set; SMOVE: srem, new, sadd), and for RENAME before rename_from (the
    /// destination is added before the source is deleted). A key created and removed in one write (a STORE command
    /// with an empty result) was never added: no "new".</summary>
    public static void AddNew(IClientCommand command, IReadOnlyCollection<CacheKey> created, List<KeyspaceEvent> events)
    {
        var pending = new HashSet<CacheKey>(created);
        for (var i = 0; i < events.Count && pending.Count > 0; i++)
        {
            var e = events[i];
            if (e.Class == KeyspaceEventClasses.Evicted || e.Name == "del" || !pending.Contains(e.Key))
                continue;
            pending.Remove(e.Key);
            var at = command is RenameKey && e.Name == "rename_to" && i > 0 && events[i - 1].Name == "rename_from" ? i - 1 : i;
            events.Insert(at, new KeyspaceEvent(KeyspaceEventClasses.New, "new", e.Key));
            i++;
        }
    }

    public static KeyspaceEvent ExpiredEvent(CacheKey key) => new(KeyspaceEventClasses.Expired, "expired", key);

    /// <summary>Adds the events of <paramref name="command"/>, which made <paramref name="write"/>'s changes.</summary>
    public static void Add(IClientCommand command, PartitionChanged write, List<KeyspaceEvent> events)
    {
        if (command is Transaction transaction && write.CommandEnds is { } ends && ends.Length == transaction.Commands.Length)
        {
            var start = 0;
            for (var i = 0; i < ends.Length; i++)
            {
                Add(transaction.Commands[i], new ArraySegment<EntryChange>(write.Changes, start, ends[i] - start), events);
                start = ends[i];
            }
            return;
        }
        Add(command, write.Changes, events);
    }

    public static void Add(IClientCommand command, IReadOnlyList<EntryChange> changes, List<KeyspaceEvent> events)
    {
        if (changes.Count == 0)
            return;
        foreach (var change in changes)
            if (change is EntryRemoved { Evicted: true } evicted)
                events.Add(new KeyspaceEvent(KeyspaceEventClasses.Evicted, "evicted", evicted.Key));
        switch (command)
        {
            case BlockingCall blocking:
                Add(blocking.Attempt, changes, events);
                return;
            case RenameKey rename:
                if (Changed(changes, rename.NewKey))
                {
                    events.Add(new(G, "rename_from", rename.Key));
                    events.Add(new(G, "rename_to", rename.NewKey));
                }
                return;
            case CopyKey copy:
                Emit(changes, copy.Destination, G, "copy_to", events);
                return;
            // Redis pushes onto the destination before it reports the pop (lmoveHandlePush, then the pop's event).
            case ListMove move:
                Emit(changes, move.Destination, L, move.ToLeft ? "lpush" : "rpush", events);
                EmitThenDel(changes, move.Key, L, move.FromLeft ? "lpop" : "rpop", events);
                return;
            case SetMove move:
                EmitThenDel(changes, move.Key, St, "srem", events);
                Emit(changes, move.Destination, St, "sadd", events);
                return;
        }
        foreach (var key in ChangedKeys(changes))
            Single(command, key, changes, events);
    }

    // A command that changes each of its keys the same way.
    private static void Single(IClientCommand command, CacheKey key, IReadOnlyList<EntryChange> changes, List<KeyspaceEvent> events)
    {
        switch (command)
        {
            case SetValue set:
                events.Add(new(S, "set", key));
                if (set.Expiry.Kind is ExpiryKind.After or ExpiryKind.At or ExpiryKind.Sliding)
                    events.Add(new(G, "expire", key));
                return;
            case CompareAndSet cas:
                events.Add(new(S, "set", key));
                if (cas.Expiry.Kind is ExpiryKind.After or ExpiryKind.At or ExpiryKind.Sliding)
                    events.Add(new(G, "expire", key));
                return;
            case GetAndSet or MultiSetIfAbsent or MultiSetPart:
                events.Add(new(S, "set", key));
                return;
            case DeleteKey or GetAndDelete:
                events.Add(new(G, "del", key));
                return;
            case ExpireKey:
                events.Add(Removed(changes, key) ? new(G, "del", key) : new(G, "expire", key));
                return;
            case GetAndExpire:
                events.Add(Removed(changes, key) ? new(G, "del", key)
                    : Persisted(changes, key) ? new(G, "persist", key) : new(G, "expire", key));
                return;
            case PersistKey:
                events.Add(new(G, "persist", key));
                return;
            // A STORE command whose result is empty deletes its destination: Redis then reports del only.
            case SetStore store:
                events.Add(Removed(changes, key) ? new(G, "del", key) : new(St, StoreName(store.Operation), key));
                return;
            case SortedSetRangeStore:
                events.Add(Removed(changes, key) ? new(G, "del", key) : new(Z, "zrangestore", key));
                return;
            case SortedSetCombineStore combine:
                events.Add(Removed(changes, key) ? new(G, "del", key) : new(Z, StoreName(combine.Operation), key));
                return;
        }
        if (Named(command) is not var (type, name))
            return;
        events.Add(new(type, name, key));
        // A collection command that empties its key: Redis deletes the key and says so after the command's event.
        if (Removed(changes, key))
            events.Add(new(G, "del", key));
    }

    private static string StoreName(SetOperation operation) => operation switch
    {
        SetOperation.Intersect => "sinterstore",
        SetOperation.Union => "sunionstore",
        _ => "sdiffstore",
    };

    private static string StoreName(SortedSetOperation operation) => operation switch
    {
        SortedSetOperation.Union => "zunionstore",
        SortedSetOperation.Intersect => "zinterstore",
        _ => "zdiffstore",
    };

    private static (KeyspaceEventClasses, string)? Named(IClientCommand command) => command switch
    {
        IncrementBy => (S, "incrby"),
        IncrementByFloat => (S, "incrbyfloat"),
        AppendValue => (S, "append"),
        SetRange => (S, "setrange"),
        SetBit => (S, "setbit"),
        ListPush push => (L, push.Left ? "lpush" : "rpush"),
        ListPop pop => (L, pop.Left ? "lpop" : "rpop"),
        ListMultiPop pop => (L, pop.Left ? "lpop" : "rpop"),
        ListSetIndex => (L, "lset"),
        ListInsert => (L, "linsert"),
        ListRemove => (L, "lrem"),
        ListTrim => (L, "ltrim"),
        HashSetFields => (H, "hset"),
        HashDeleteFields => (H, "hdel"),
        HashIncrementBy => (H, "hincrby"),
        HashIncrementByFloat => (H, "hincrbyfloat"),
        SetAddMembers => (St, "sadd"),
        SetRemoveMembers => (St, "srem"),
        SetPop => (St, "spop"),
        SortedSetAdd add => (Z, add.Increment ? "zincr" : "zadd"),
        SortedSetRemove => (Z, "zrem"),
        SortedSetRemoveRange remove => (Z, remove.Range switch
        {
            RankRange => "zremrangebyrank",
            ScoreRange => "zremrangebyscore",
            _ => "zremrangebylex",
        }),
        SortedSetPop pop => (Z, pop.Max ? "zpopmax" : "zpopmin"),
        SortedSetMultiPop pop => (Z, pop.Max ? "zpopmax" : "zpopmin"),
        _ => null,
    };

    private static void Emit(IReadOnlyList<EntryChange> changes, CacheKey key, KeyspaceEventClasses type, string name, List<KeyspaceEvent> events)
    {
        if (Changed(changes, key))
            events.Add(new(type, name, key));
    }

    private static void EmitThenDel(IReadOnlyList<EntryChange> changes, CacheKey key, KeyspaceEventClasses type, string name, List<KeyspaceEvent> events)
    {
        if (!Changed(changes, key))
            return;
        events.Add(new(type, name, key));
        if (Removed(changes, key))
            events.Add(new(G, "del", key));
    }

    // The keys changed other than by eviction, each once, in the order of their first change.
    private static List<CacheKey> ChangedKeys(IReadOnlyList<EntryChange> changes)
    {
        var keys = new List<CacheKey>(1);
        foreach (var change in changes)
        {
            if (change is EntryRemoved { Evicted: true } || change.ChangedKey is not { } key || keys.Contains(key))
                continue;
            keys.Add(key);
        }
        return keys;
    }

    private static bool Changed(IReadOnlyList<EntryChange> changes, CacheKey key)
    {
        foreach (var change in changes)
            if (change is not EntryRemoved { Evicted: true } && change.ChangedKey == key)
                return true;
        return false;
    }

    // The key's last change removed it (a key set again after a removal, as RENAME's destination, is not removed).
    private static bool Removed(IReadOnlyList<EntryChange> changes, CacheKey key)
    {
        for (var i = changes.Count - 1; i >= 0; i--)
            if (changes[i] is not EntryRemoved { Evicted: true } && changes[i].ChangedKey == key)
                return changes[i] is EntryRemoved;
        return false;
    }

    private static bool Persisted(IReadOnlyList<EntryChange> changes, CacheKey key)
    {
        foreach (var change in changes)
            if (change is EntryExpiry { ExpiresAt: 0 } expiry && expiry.Key == key)
                return true;
        return false;
    }
}
