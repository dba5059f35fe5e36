using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The keys of one partition and the rules that change them. <see cref="Decide"/> works out what
/// a command does without changing any entry (it only drops entries that had already expired);
/// <see cref="Apply"/> is the only mutation and runs for live writes and for recovery alike.
/// Owned by a single actor, so plain collections are safe and every command is atomic without locks.</summary>
public sealed partial class PartitionState
{
    private readonly Dictionary<CacheKey, CacheEntry> _entries = new();
    private readonly SortedSet<(long At, CacheKey Key)> _expiries = new();
    private readonly LinkedList<CacheKey> _lru = new(); // most recently used first
    // Only allkeys-lru needs the recency list; without it a key costs no list node and no lookup slot.
    private readonly Dictionary<CacheKey, LinkedListNode<CacheKey>>? _lruNodes;
    // Only keys with a sliding expiry are here, so the others pay nothing for the feature.
    private readonly Dictionary<CacheKey, SlidingWindow> _sliding = new();
    private readonly PartitionLimits _limits;
    private readonly RequestWindow _recentRequests;
    private readonly TimeProvider _clock;
    private readonly MemoryPolicy _memory;
    private long _nextVersion = 1;

    public PartitionState(PartitionLimits limits, int requestWindow = 4096, TimeProvider? clock = null, MemoryPolicy? memory = null)
    {
        _limits = limits;
        _recentRequests = new RequestWindow(requestWindow);
        _clock = clock ?? TimeProvider.System;
        _memory = memory ?? MemoryPolicy.Unlimited;
        if (_memory.Policy == EvictionPolicy.AllKeysLru)
            _lruNodes = new Dictionary<CacheKey, LinkedListNode<CacheKey>>();
    }

    /// <summary>Entries held, including expired ones not yet collected.</summary>
    public int Count => _entries.Count;

    public long UsedBytes { get; private set; }

    public long Evictions { get; private set; }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    public Decision Decide(IClientCommand command, Guid requestId = default)
    {
        // A retry of a write already applied: answer as the first time, change nothing.
        if (command is IWriteCommand && _recentRequests.TryGet(requestId, out var original))
            return Decision.Read(original);

        return command switch
        {
            GetValue get => Read(get.Key, e => new Found(e?.Value)),
            GetWithVersion get => Read(get.Key, e => e is { } found ? new FoundVersioned(found.Value, found.Version) : new FoundVersioned(null, 0)),
            GetAndExpire getEx => DecideGetAndExpire(getEx, requestId),
            KeyExists exists => Decision.Read(new Existence(Live(exists.Key) is not null)),
            TimeToLive ttl => Decision.Read(new CounterValue(Live(ttl.Key) is { } e ? (e.ExpiresAt == 0 ? -1 : e.ExpiresAt - Now) : -2)),
            SetValue set => DecideSet(set, requestId),
            CompareAndSet cas => DecideCompareAndSet(cas, requestId),
            DeleteKey delete => Live(delete.Key) is null
                ? Decision.Read(new Deleted(false))
                : Write(requestId, new Deleted(true), new EntryRemoved(delete.Key)),
            IncrementBy incr => DecideIncrement(incr, requestId),
            AppendValue append => DecideAppend(append, requestId),
            GetAndSet getSet => Write(requestId, new Found(Live(getSet.Key)?.Value), new EntrySet(getSet.Key, getSet.Value, 0)),
            GetAndDelete getDel => Live(getDel.Key) is { } e
                ? Write(requestId, new Found(e.Value), new EntryRemoved(getDel.Key))
                : Decision.Read(new Found(null)),
            ExpireKey expire => DecideExpire(expire, requestId),
            PersistKey persist => Live(persist.Key) is { ExpiresAt: not 0 }
                ? Write(requestId, new Existence(true), new EntryExpiry(persist.Key, 0))
                : Decision.Read(new Existence(false)),
            MultiGetPart get => ReadMany(get.Keys),
            MultiSetPart set => Write(requestId, Stored.Instance, set.Entries.Select(e => (EntryChange)new EntrySet(e.Key, e.Value, 0)).ToArray()),
            // After CountLive's sweep every key left in _expiries is live, so its size is the expiring count.
            CountPart { WithExpires: true } => Decision.Read(new KeyCount(CountLive(), _expiries.Count)),
            CountPart => Decision.Read(new CounterValue(CountLive())),
            FlushPart => _entries.Count == 0 ? Decision.Read(Stored.Instance) : Write(requestId, Stored.Instance, AllRemoved.Instance),
            ScanPart scan => Decision.Read(Scan(scan)),
            ExpireTime expireTime => Decision.Read(new CounterValue(Live(expireTime.Key) is { } e ? (e.ExpiresAt == 0 ? -1 : e.ExpiresAt) : -2)),
            TouchKey touch => Read(touch.Key, e => new Existence(e is not null)),
            GetRange range => DecideGetRange(range),
            SetRange range => DecideSetRange(range, requestId),
            IncrementByFloat incr => DecideIncrementByFloat(incr, requestId),
            MultiSetIfAbsent msetnx => DecideMultiSetIfAbsent(msetnx, requestId),
            RenameKey rename => DecideRename(rename, requestId),
            CopyKey copy => DecideCopy(copy, requestId),
            SetBit setBit => DecideSetBit(setBit, requestId),
            RandomKey => Decision.Read(new PartPage(PickRandomKey() is { } picked ? [picked] : [], null)),
            _ => Decision.Reject(CacheErrorCode.UnknownCommand),
        };
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
            case ValueWritten written:
                ApplyChange(new EntrySet(written.Key, written.Value, 0));
                _recentRequests.Remember(written.RequestId, written.IsCounter && IntegerValue.TryRead(written.Value, out var n)
                    ? new CounterValue(n)
                    : Stored.Instance);
                break;
            case KeyRemoved removed:
                ApplyChange(new EntryRemoved(removed.Key));
                _recentRequests.Remember(removed.RequestId, new Deleted(true));
                break;
        }
    }

    private void ApplyWrite(PartitionChanged write, long forgetRequestAfterMs = 0)
    {
        foreach (var change in write.Changes)
            ApplyChange(change);
        if (write.Reply is not null)
            _recentRequests.Remember(write.RequestId, write.Reply, forgetRequestAfterMs, forgetRequestAfterMs > 0 ? Now : 0);
    }

    /// <summary>Request ids remembered for retries (see <see cref="RequestWindow"/>).</summary>
    public int RememberedRequests => _recentRequests.Count;

    /// <summary>Active expiry: drops up to <paramref name="max"/> entries whose time has passed. Not
    /// journaled: an expired entry is gone whatever the journal replays, since expiry is absolute time.</summary>
    public int RemoveExpired(int max = int.MaxValue)
    {
        var now = Now;
        _recentRequests.Forget(now);
        var removed = 0;
        while (removed < max && _expiries.Count > 0 && _expiries.Min.At <= now)
        {
            Remove(_expiries.Min.Key);
            removed++;
        }
        return removed;
    }

    public PartitionSnapshot ToSnapshot() => new(
        _entries.Select(e => new SnapshotEntry(e.Key, e.Value.Value, e.Value.Version, e.Value.ExpiresAt)).ToArray(),
        _recentRequests.Snapshot(),
        _nextVersion,
        Evictions,
        _sliding.Select(s => new SnapshotSliding(s.Key, s.Value.WindowMs, s.Value.NotAfter)).ToArray());

    // Optimized at once: recovery restores a million keys through it right after start-up (as SqliteReplay.Replay).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Restore(PartitionSnapshot snapshot)
    {
        foreach (var key in _entries.Keys.ToArray())
            Remove(key);
        foreach (var entry in snapshot.Entries)
        {
            ApplyChange(new EntrySet(entry.Key, entry.Value, entry.ExpiresAt));
            if (entry.Version != 0)
                CollectionsMarshal.GetValueRefOrNullRef(_entries, entry.Key).Version = entry.Version;
        }
        foreach (var sliding in snapshot.Sliding ?? [])
            ApplyChange(new EntrySliding(sliding.Key, sliding.WindowMs, sliding.NotAfter));
        _nextVersion = Math.Max(_nextVersion, snapshot.NextVersion);
        Evictions = snapshot.Evictions;
        _recentRequests.Restore(snapshot.RecentRequests);
    }

    private Decision DecideSet(SetValue set, Guid requestId)
    {
        var existing = Live(set.Key);
        if ((set.When == SetCondition.IfAbsent && existing is not null) || (set.When == SetCondition.IfPresent && existing is null))
            return Decision.Read(set.ReturnPrevious ? new Found(existing?.Value) : new Written(false));
        if (ExpiryRules.Resolve(set.Expiry, existing?.ExpiresAt ?? 0, Now) is not { } expiresAt)
            return InvalidExpiry();
        ICacheReply reply = set.ReturnPrevious ? new Found(existing?.Value)
            : set.When == SetCondition.Always ? Stored.Instance : new Written(true);
        return Write(requestId, reply, WithWindow(new EntrySet(set.Key, set.Value, expiresAt), set.Key, set.Expiry));
    }

    private Decision DecideCompareAndSet(CompareAndSet cas, Guid requestId)
    {
        var found = Touch(cas.Key);
        if (found is not { } existing || existing.Version != cas.ExpectedVersion)
            return Decision.Read(new CasResult(false, found?.Version ?? 0));
        if (ExpiryRules.Resolve(cas.Expiry, existing.ExpiresAt, Now) is not { } expiresAt)
            return InvalidExpiry();
        // Apply runs right after this decision, before the next command is decided, so the version the
        // entry will get is the next one.
        return Write(requestId, new CasResult(true, _nextVersion), WithWindow(new EntrySet(cas.Key, cas.Value, expiresAt), cas.Key, cas.Expiry));
    }

    private Decision DecideIncrement(IncrementBy incr, Guid requestId)
    {
        var existing = Live(incr.Key);
        long current = 0;
        if (existing is { } e && !IntegerValue.TryRead(e.Value, out current))
            return Decision.Reject(CacheErrorCode.NotAnInteger);

        long next;
        try
        {
            next = checked(current + incr.Delta);
        }
        catch (OverflowException)
        {
            return Decision.Reject(CacheErrorCode.IntegerOverflow);
        }

        // INCR keeps the key's expiry, as in Redis (a sliding one slides: a write is a use).
        return Write(requestId, new CounterValue(next), KeepingExpiry(new EntrySet(incr.Key, IntegerValue.From(next), existing?.ExpiresAt ?? 0)));
    }

    private Decision DecideAppend(AppendValue append, Guid requestId)
    {
        var existing = Live(append.Key);
        byte[] current;
        var kind = ValueKind.String;
        if (existing is not { } e)
        {
            current = [];
        }
        else if (e.Kind is ValueKind.String or ValueKind.Bytes)
        {
            current = e.Data;
            kind = e.Kind;
        }
        else if (IntegerValue.TryRead(e.Value, out var number))
        {
            // Redis keeps integers as strings, so APPEND to a counter appends to its digits.
            current = System.Text.Encoding.UTF8.GetBytes(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            return Decision.Reject(CacheErrorCode.WrongType);
        }

        var length = (long)current.Length + append.Data.Length;
        if (length > _limits.MaxValueBytes)
            return Decision.Reject(CacheErrorCode.ValueTooLarge, length, _limits.MaxValueBytes);
        var data = append.Prepend ? [.. append.Data, .. current] : (byte[])[.. current, .. append.Data];
        return Write(requestId, new CounterValue(length), KeepingExpiry(new EntrySet(append.Key, new CacheValue(kind, data), existing?.ExpiresAt ?? 0)));
    }

    private Decision DecideExpire(ExpireKey expire, Guid requestId)
    {
        if (Live(expire.Key) is not { } existing)
            return Decision.Read(new Existence(false));
        if (expire.When != ExpireConditions.None && !ExpiryRules.Allows(expire.When, existing.ExpiresAt, ExpiryRules.Target(expire.Expiry, Now)))
            return Decision.Read(new Existence(false));
        if (ExpiryRules.DeletesNow(expire.Expiry, Now))
            return Write(requestId, new Existence(true), new EntryRemoved(expire.Key));
        if (expire.Expiry.Kind == ExpiryKind.Keep)
            return Decision.Read(new Existence(true));
        return ExpiryRules.Resolve(expire.Expiry, existing.ExpiresAt, Now) is { } at
            ? Write(requestId, new Existence(true), WithWindow(new EntryExpiry(expire.Key, at), expire.Key, expire.Expiry))
            : InvalidExpiry();
    }

    // GETEX: the value, and the key's expiry changed as the request says, in one step.
    private Decision DecideGetAndExpire(GetAndExpire getEx, Guid requestId)
    {
        if (Touch(getEx.Key) is not { } existing)
            return Decision.Read(new Found(null));
        if (getEx.Expiry.Kind == ExpiryKind.Keep)
            return Read(getEx.Key, e => new Found(e?.Value));
        return ExpiryRules.Resolve(getEx.Expiry, existing.ExpiresAt, Now) is { } at
            ? Write(requestId, new Found(existing.Value), WithWindow(new EntryExpiry(getEx.Key, at), getEx.Key, getEx.Expiry))
            : InvalidExpiry();
    }

    /// <summary>A single-key read. On a key with a sliding expiry the read moves the expiry on, and that
    /// is journaled (without the reply: a retry of a read needs no remembered answer), so a restart does
    /// not bring the key back with the expiry it had before the read.</summary>
    private Decision Read(CacheKey key, Func<CacheEntry?, ICacheReply> reply)
    {
        var entry = Touch(key);
        if (entry is null || _sliding.Count == 0 || !_sliding.TryGetValue(key, out var window))
            return Decision.Read(reply(entry));
        return new Decision(new PartitionChanged(Guid.Empty, null, Slid(key, window)), reply(entry));
    }

    private Decision ReadMany(CacheKey[] keys)
    {
        var values = new CacheValue?[keys.Length];
        List<EntryChange>? slid = null;
        for (var i = 0; i < keys.Length; i++)
        {
            values[i] = Touch(keys[i])?.Value;
            if (values[i] is not null && _sliding.Count > 0 && _sliding.TryGetValue(keys[i], out var window))
                (slid ??= []).AddRange(Slid(keys[i], window));
        }
        var reply = new Values(values);
        return slid is null ? Decision.Read(reply) : new Decision(new PartitionChanged(Guid.Empty, null, slid.ToArray()), reply);
    }

    private EntryChange[] Slid(CacheKey key, SlidingWindow window) =>
        [new EntryExpiry(key, ExpiryRules.Slide(Now, window.WindowMs, window.NotAfter)), new EntrySliding(key, window.WindowMs, window.NotAfter)];

    // A write that sets a sliding expiry carries its window too, so recovery slides the key the same way.
    private EntryChange[] WithWindow(EntryChange change, CacheKey key, Expiry expiry) =>
        expiry.Kind == ExpiryKind.Sliding ? [change, new EntrySliding(key, expiry.Milliseconds, ExpiryRules.SlidingLimit(expiry, Now))] : [change];

    // INCR and APPEND keep the expiry; on a sliding key they slide it and keep the window.
    private EntryChange[] KeepingExpiry(EntrySet set)
    {
        if (_sliding.Count == 0 || !_sliding.TryGetValue(set.Key, out var window))
            return [set];
        return [set with { ExpiresAt = ExpiryRules.Slide(Now, window.WindowMs, window.NotAfter) }, new EntrySliding(set.Key, window.WindowMs, window.NotAfter)];
    }

    /// <summary>A write, with the evictions the memory limit requires first.</summary>
    private Decision Write(Guid requestId, ICacheReply reply, params EntryChange[] changes)
    {
        var budget = _memory.BudgetBytes();
        if (budget > 0)
        {
            var growth = Growth(changes);
            if (growth > 0 && UsedBytes + growth > budget)
            {
                if (Evict(UsedBytes + growth - budget, changes) is not { } evictions)
                    return Decision.Reject(CacheErrorCode.OutOfMemory, UsedBytes + growth, budget);
                changes = [.. evictions, .. changes];
            }
        }
        return new Decision(new PartitionChanged(requestId, reply, changes), reply);
    }

    private long Growth(EntryChange[] changes)
    {
        long growth = 0;
        foreach (var change in changes)
        {
            if (change is EntrySet set)
                growth += CacheEntry.SizeOf(set.Key, set.Value) - (_entries.TryGetValue(set.Key, out var old) ? old.SizeWith(set.Key) : 0);
            else if (change is EntryRemoved removed && _entries.TryGetValue(removed.Key, out var gone))
                growth -= gone.SizeWith(removed.Key);
        }
        return growth;
    }

    /// <summary>Keys to evict to free <paramref name="needed"/> bytes, or null when the policy cannot.</summary>
    private List<EntryChange>? Evict(long needed, EntryChange[] changes)
    {
        if (_memory.Policy == EvictionPolicy.NoEviction)
            return null;
        var touched = changes.OfType<EntrySet>().Select(s => s.Key).ToHashSet();
        IEnumerable<CacheKey> candidates = _memory.Policy == EvictionPolicy.AllKeysLru
            ? LeastRecentlyUsed()
            : _expiries.Select(e => e.Key);
        var evictions = new List<EntryChange>();
        long freed = 0;
        foreach (var key in candidates)
        {
            if (freed >= needed)
                break;
            if (touched.Contains(key))
                continue;
            evictions.Add(new EntryRemoved(key, Evicted: true));
            freed += _entries[key].SizeWith(key);
        }
        return freed >= needed ? evictions : null;
    }

    private IEnumerable<CacheKey> LeastRecentlyUsed()
    {
        for (var node = _lru.Last; node is not null; node = node.Previous)
            yield return node.Value;
    }

    private void ApplyChange(EntryChange change)
    {
        switch (change)
        {
            case EntrySet set:
            {
                ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, set.Key, out var existed);
                if (existed)
                {
                    UsedBytes -= entry.SizeWith(set.Key);
                    MarkUsed(set.Key);
                }
                else if (_lruNodes is not null)
                {
                    _lruNodes[set.Key] = _lru.AddFirst(set.Key);
                }
                SetExpiry(set.Key, ref entry, set.ExpiresAt);
                if (_sliding.Count > 0)
                    _sliding.Remove(set.Key);
                entry.Kind = set.Value.Kind;
                entry.Data = set.Value.Data;
                entry.Version = _nextVersion++;
                UsedBytes += entry.SizeWith(set.Key);
                break;
            }
            case EntryRemoved removed:
                if (Remove(removed.Key) && removed.Evicted)
                    Evictions++;
                break;
            case EntryExpiry expiry:
            {
                ref var target = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, expiry.Key);
                if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref target))
                    SetExpiry(expiry.Key, ref target, expiry.ExpiresAt);
                if (_sliding.Count > 0)
                    _sliding.Remove(expiry.Key);
                break;
            }
            case EntrySliding sliding:
                if (_entries.ContainsKey(sliding.Key))
                    _sliding[sliding.Key] = new SlidingWindow(sliding.WindowMs, sliding.NotAfter);
                break;
            case AllRemoved:
                _entries.Clear();
                _expiries.Clear();
                _lru.Clear();
                _lruNodes?.Clear();
                _sliding.Clear();
                UsedBytes = 0;
                break;
        }
    }

    private void SetExpiry(CacheKey key, ref CacheEntry entry, long expiresAt)
    {
        if (entry.ExpiresAt != 0)
            _expiries.Remove((entry.ExpiresAt, key));
        entry.ExpiresAt = expiresAt;
        if (expiresAt != 0)
            _expiries.Add((expiresAt, key));
    }

    private bool Remove(CacheKey key)
    {
        if (!_entries.Remove(key, out var entry))
            return false;
        if (entry.ExpiresAt != 0)
            _expiries.Remove((entry.ExpiresAt, key));
        if (_lruNodes is not null && _lruNodes.Remove(key, out var node))
            _lru.Remove(node);
        if (_sliding.Count > 0)
            _sliding.Remove(key);
        UsedBytes -= entry.SizeWith(key);
        return true;
    }

    /// <summary>The entry if it exists and has not expired; lazy expiry drops it otherwise.</summary>
    private CacheEntry? Live(CacheKey key)
    {
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        if (!entry.IsExpired(Now))
            return entry;
        Remove(key);
        return null;
    }

    /// <summary>A read: like <see cref="Live"/>, and the entry becomes the most recently used.</summary>
    private CacheEntry? Touch(CacheKey key)
    {
        var entry = Live(key);
        if (entry is not null)
            MarkUsed(key);
        return entry;
    }

    private void MarkUsed(CacheKey key)
    {
        if (_lruNodes is not null && _lruNodes.TryGetValue(key, out var node) && node.Previous is not null)
        {
            _lru.Remove(node);
            _lru.AddFirst(node);
        }
    }

    private long CountLive()
    {
        RemoveExpired();
        return _entries.Count;
    }

    private PartPage Scan(ScanPart scan)
    {
        RemoveExpired();
        var keys = _entries.Keys
            .Where(k => scan.After is not { } after || k.CompareTo(after) > 0)
            .Order()
            .Take(scan.Count + 1)
            .ToArray();
        return keys.Length > scan.Count
            ? new PartPage(keys[..scan.Count], keys[scan.Count - 1])
            : new PartPage(keys, null);
    }

    private static Decision InvalidExpiry() =>
        Decision.Reject(CacheErrorCode.InvalidExpireTime);

    private readonly record struct SlidingWindow(long WindowMs, long NotAfter);
}
