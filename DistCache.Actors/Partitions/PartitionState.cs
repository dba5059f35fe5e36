using System.Runtime.CompilerServices;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The keys of one partition and the rules that change them. <see cref="Decide"/> works out what
/// a command does without changing any entry (it only drops entries that had already expired);
/// <see cref="Apply"/> is the only mutation and runs for live writes and for recovery alike.
/// The keys live in an <see cref="EntryTable"/>; each type's commands in a class of their own
/// (<see cref="StringCommands"/>), the commands on any key in <see cref="KeyCommands"/>. Owned by a single
/// actor, so plain collections are safe and every command is atomic without locks.</summary>
public sealed class PartitionState
{
    private readonly EntryTable _table;
    private readonly RequestWindow _recentRequests;
    private readonly StringCommands _strings;
    private readonly KeyCommands _keys;
    private readonly HashCommands _hashes;
    private readonly ListCommands _lists;
    private readonly SortedSetCommands _sortedSets;
    private readonly SetCommands _sets;
    private readonly TransactionCommands _transactions;

    public PartitionState(PartitionLimits limits, int requestWindow = 4096, TimeProvider? clock = null, MemoryPolicy? memory = null)
    {
        memory ??= MemoryPolicy.Unlimited;
        _table = new EntryTable(clock ?? TimeProvider.System, memory.Policy);
        _recentRequests = new RequestWindow(requestWindow);
        var rules = new DecisionRules(_table, memory);
        _strings = new StringCommands(_table, rules, limits);
        _keys = new KeyCommands(_table, rules, () => RemoveExpired());
        _hashes = new HashCommands(_table, rules, limits);
        _lists = new ListCommands(_table, rules, limits);
        _sortedSets = new SortedSetCommands(_table, rules, limits);
        _sets = new SetCommands(_table, rules, limits);
        _transactions = new TransactionCommands(_table, command => Decide(command), write => ApplyWrite(write));
    }

    /// <summary>Entries held, including expired ones not yet collected.</summary>
    public int Count => _table.Count;

    public long UsedBytes => _table.UsedBytes;

    public long Evictions => _table.Evictions;

    /// <summary>Called with each key removed because its time had passed, not with the keys a write removes.</summary>
    public Action<CacheKey>? Expired
    {
        set => _table.Expired = value;
    }

    /// <summary>The keys <paramref name="write"/> changes that hold nothing now (before it is committed): those it creates.</summary>
    public List<CacheKey> Missing(PartitionChanged write)
    {
        var missing = new List<CacheKey>();
        foreach (var change in write.Changes)
            if (change.ChangedKey is { } key && !missing.Contains(key) && _table.Live(key) is null)
                missing.Add(key);
        return missing;
    }

    /// <summary>Request ids remembered for retries (see <see cref="RequestWindow"/>).</summary>
    public int RememberedRequests => _recentRequests.Count;

    public Decision Decide(IClientCommand command, Guid requestId = default)
    {
        // A retry of a write already applied: answer as the first time, change nothing.
        if (command is IWriteCommand && _recentRequests.TryGet(requestId, out var original))
            return Decision.Read(original);

        return command switch
        {
            GetValue get => _strings.Get(get),
            GetWithVersion get => _strings.GetWithVersion(get),
            GetCacheable get => _strings.GetCacheable(get),
            GetAndExpire getEx => _strings.GetAndExpire(getEx, requestId),
            KeyExists exists => _keys.Exists(exists),
            TimeToLive ttl => _keys.TimeToLive(ttl),
            SetValue set => _strings.Set(set, requestId),
            CompareAndSet cas => _strings.CompareAndSet(cas, requestId),
            DeleteKey delete => _keys.Delete(delete, requestId),
            IncrementBy incr => _strings.Increment(incr, requestId),
            AppendValue append => _strings.Append(append, requestId),
            GetAndSet getSet => _strings.GetAndSet(getSet, requestId),
            GetAndDelete getDel => _strings.GetAndDelete(getDel, requestId),
            ExpireKey expire => _keys.Expire(expire, requestId),
            PersistKey persist => _keys.Persist(persist, requestId),
            MultiGetPart get => _strings.GetMany(get),
            MultiSetPart set => _strings.SetMany(set, requestId),
            CountPart count => _keys.Count(count.WithExpires),
            FlushPart => _keys.Flush(requestId),
            ScanPart scan => _keys.Scan(scan),
            ExpireTime expireTime => _keys.ExpireTime(expireTime),
            TouchKey touch => _keys.Touch(touch),
            GetRange range => _strings.GetRange(range),
            SetRange range => _strings.SetRange(range, requestId),
            IncrementByFloat incr => _strings.IncrementByFloat(incr, requestId),
            MultiSetIfAbsent msetnx => _strings.SetManyIfAbsent(msetnx, requestId),
            RenameKey rename => _keys.Rename(rename, requestId),
            CopyKey copy => _keys.Copy(copy, requestId),
            SetBit setBit => _strings.SetBit(setBit, requestId),
            RandomKey => _keys.RandomKey(),
            DescribeKey describe => _keys.Describe(describe),
            HashSetFields set => _hashes.Set(set, requestId),
            HashGetFields get => _hashes.Get(get),
            HashDeleteFields delete => _hashes.Delete(delete, requestId),
            HashLength length => _hashes.Length(length),
            HashGetAll all => _hashes.GetAll(all),
            HashIncrementBy incr => _hashes.IncrementBy(incr, requestId),
            HashIncrementByFloat incr => _hashes.IncrementByFloat(incr, requestId),
            HashRandomFields random => _hashes.RandomFields(random),
            HashScan scan => _hashes.Scan(scan),
            ListPush push => _lists.Push(push, requestId),
            ListPop pop => _lists.Pop(pop, requestId),
            ListLength length => _lists.Length(length),
            ListIndex index => _lists.Index(index),
            ListSetIndex set => _lists.SetIndex(set, requestId),
            ListRange range => _lists.Range(range),
            ListTrim trim => _lists.Trim(trim, requestId),
            ListRemove remove => _lists.Remove(remove, requestId),
            ListInsert insert => _lists.Insert(insert, requestId),
            ListPosition position => _lists.Position(position),
            ListMove move => _lists.Move(move, requestId),
            ListMultiPop pop => _lists.MultiPop(pop, requestId),
            SortedSetAdd add => _sortedSets.Add(add, requestId),
            SortedSetRemove remove => _sortedSets.Remove(remove, requestId),
            SortedSetRemoveRange remove => _sortedSets.RemoveRange(remove, requestId),
            SortedSetPop pop => _sortedSets.Pop(pop, requestId),
            SortedSetMultiPop pop => _sortedSets.MultiPop(pop, requestId),
            SortedSetRangeStore store => _sortedSets.RangeStore(store, requestId),
            SortedSetCombineStore store => _sortedSets.CombineStore(store, requestId),
            SortedSetScores scores => _sortedSets.Scores(scores),
            SortedSetLength length => _sortedSets.Length(length),
            SortedSetRankOf rank => _sortedSets.Rank(rank),
            SortedSetCount count => _sortedSets.Count(count),
            SortedSetRangeQuery range => _sortedSets.Range(range),
            SortedSetRandomMembers random => _sortedSets.RandomMembers(random),
            SortedSetScan scan => _sortedSets.Scan(scan),
            SortedSetCombineInput input => _sortedSets.CombineInput(input),
            SetAddMembers add => _sets.Add(add, requestId),
            SetRemoveMembers remove => _sets.Remove(remove, requestId),
            SetGetMembers members => _sets.Members(members),
            SetContainsMembers contains => _sets.Contains(contains),
            SetLength length => _sets.Length(length),
            SetPop pop => _sets.Pop(pop, requestId),
            SetRandomMembers random => _sets.RandomMembers(random),
            SetMove move => _sets.Move(move, requestId),
            SetStore store => _sets.Store(store, requestId),
            SetScan scan => _sets.Scan(scan),
            Transaction transaction => _transactions.Execute(transaction, requestId),
            KeyVersions versions => _transactions.Versions(versions),
            _ => Decision.Reject(CacheErrorCode.UnknownCommand),
        };
    }

    /// <summary>A <see cref="BlockingCall"/>'s attempt: its decision when it takes something, is refused or was
    /// already answered (a retry), or null when it finds nothing and must wait.</summary>
    public Decision? DecideBlocking(BlockingCall call, Guid requestId)
    {
        if (_recentRequests.TryGet(requestId, out var original))
            return Decision.Read(original);
        var decision = Decide(call.Attempt, requestId);
        return decision.Event is null && decision.Reply is not Rejected ? null : decision;
    }

    /// <summary>A live write: applies what <paramref name="decision"/> decided, or, when the decision was applied
    /// as it was made (a transaction), only remembers its request for retries.</summary>
    public void Commit(Decision decision, long forgetRequestAfterMs = 0)
    {
        if (decision.Event is not { } write)
            return;
        if (!decision.Applied)
            Apply(write, forgetRequestAfterMs);
        else if (write.Reply is not null)
            _recentRequests.Remember(write.RequestId, write.Reply, forgetRequestAfterMs, forgetRequestAfterMs > 0 ? _table.Now : 0);
    }

    /// <param name="forgetRequestAfterMs">For a live write: when no retry of its request can be applied any
    /// more (its deadline plus the clock skew allowed), so the request window can let its id go; 0 on recovery.</param>
    public void Apply(ICacheEvent evt, long forgetRequestAfterMs = 0)
    {
        switch (evt)
        {
            case PartitionChanged changed:
                ApplyWrite(changed, forgetRequestAfterMs);
                break;
            case PartitionBurst burst:
                // In the order the writes were applied live, each remembered with its reply: the same
                // state, versions and retry answers as one event per write.
                foreach (var write in burst.Writes)
                    ApplyWrite(write);
                break;
        }
    }

    /// <summary>Active expiry: drops up to <paramref name="max"/> entries whose time has passed. Not
    /// journaled: an expired entry is gone whatever the journal replays, since expiry is absolute time.</summary>
    public int RemoveExpired(int max = int.MaxValue)
    {
        _recentRequests.Forget(_table.Now);
        return _table.RemoveExpired(max);
    }

    public PartitionSnapshot ToSnapshot() => new(
        _table.Entries.Select(e => SnapshotEntry.Of(e.Key, e.Value)).ToArray(),
        _recentRequests.Snapshot(),
        _table.NextVersion,
        _table.Evictions,
        _table.Windows.Select(s => new SnapshotSliding(s.Key, s.Value.WindowMs, s.Value.NotAfter)).ToArray());

    // Optimized at once: recovery restores a million keys through it right after start-up (as SqliteReplay.Replay).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Restore(PartitionSnapshot snapshot)
    {
        foreach (var key in _table.Entries.Keys.ToArray())
            _table.Remove(key);
        foreach (var entry in snapshot.Entries)
        {
            if (entry.Hash is { } fields)
                _table.Put(entry.Key, HashValue.From(fields), entry.ExpiresAt);
            else if (entry.List is { } elements)
                _table.Put(entry.Key, ListValue.From(elements), entry.ExpiresAt);
            else if (entry.SortedSet is { } members)
                _table.Put(entry.Key, SortedSetValue.From(members), entry.ExpiresAt);
            else if (entry.Set is { } setMembers)
                _table.Put(entry.Key, MemberSet.From(setMembers), entry.ExpiresAt);
            else
                ApplyChange(new EntrySet(entry.Key, entry.Value, entry.ExpiresAt));
            if (entry.Version != 0)
                _table.RestoreVersion(entry.Key, entry.Version);
        }
        foreach (var sliding in snapshot.Sliding ?? [])
            ApplyChange(new EntrySliding(sliding.Key, sliding.WindowMs, sliding.NotAfter));
        _table.RestoreCounters(snapshot.NextVersion, snapshot.Evictions);
        _recentRequests.Restore(snapshot.RecentRequests);
    }

    private void ApplyWrite(PartitionChanged write, long forgetRequestAfterMs = 0)
    {
        var changes = write.Changes;
        for (var i = 0; i < changes.Length; i++)
        {
            if (changes[i] is EntryExpiry expiry)
                _table.SetExpiry(expiry.Key, expiry.ExpiresAt, newVersion: !Slides(expiry, i + 1 < changes.Length ? changes[i + 1] : null));
            else
                ApplyChange(changes[i]);
        }
        if (write.Reply is not null)
            _recentRequests.Remember(write.RequestId, write.Reply, forgetRequestAfterMs, forgetRequestAfterMs > 0 ? _table.Now : 0);
    }

    // A use of a key whose expiry slides moves the expiry and keeps the window (DecisionRules.Slid): that is a
    // read, so the key keeps its version, or a read of it would fail every CAS and WATCH made before. Decided
    // from the event and the state before it, so recovery gives every key the version it had live.
    private bool Slides(EntryExpiry expiry, EntryChange? next) =>
        next is EntrySliding sliding && sliding.Key == expiry.Key
        && _table.TryGetWindow(expiry.Key, out var window) && window == new SlidingWindow(sliding.WindowMs, sliding.NotAfter);

    private void ApplyChange(EntryChange change)
    {
        switch (change)
        {
            case EntrySet set:
                _table.Put(set.Key, set.Value, set.ExpiresAt);
                break;
            case EntryRemoved removed:
                _table.Remove(removed.Key, removed.Evicted);
                break;
            case EntrySliding sliding:
                _table.SetWindow(sliding.Key, new SlidingWindow(sliding.WindowMs, sliding.NotAfter));
                break;
            case AllRemoved:
                _table.Clear();
                break;
            case HashFieldsSet set:
                HashType.Apply(_table, set);
                break;
            case HashFieldsRemoved removed:
                HashType.Apply(_table, removed);
                break;
            case HashReplaced replaced:
                _table.Put(replaced.Key, HashValue.From(replaced.Fields), replaced.ExpiresAt);
                break;
            case ListPushed pushed:
                ListType.Apply(_table, pushed);
                break;
            case ListTrimmed trimmed:
                ListType.Apply(_table, trimmed);
                break;
            case ListEdited edited:
                ListType.Apply(_table, edited);
                break;
            case ListReplaced replaced:
                _table.Put(replaced.Key, ListValue.From(replaced.Elements), replaced.ExpiresAt);
                break;
            case ZSetMembersScored scored:
                SortedSetType.Apply(_table, scored);
                break;
            case ZSetMembersRemoved removed:
                SortedSetType.Apply(_table, removed);
                break;
            case ZSetReplaced replaced:
                _table.Put(replaced.Key, SortedSetValue.From(replaced.Members), replaced.ExpiresAt);
                break;

            case SetMembersAdded added:
                SetType.Apply(_table, added);
                break;
            case SetMembersRemoved removed:
                SetType.Apply(_table, removed);
                break;
            case SetReplaced replaced:
                _table.Put(replaced.Key, MemberSet.From(replaced.Members), replaced.ExpiresAt);
                break;
        }
    }
}
