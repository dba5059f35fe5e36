using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The keys of one partition and the rules that change them. <see cref="Decide"/> works out what
/// a command does without changing any entry (it only drops entries that had already expired);
/// <see cref="Apply"/> is the only mutation and runs for live writes and for recovery alike.
/// The keys live in an <see cref="EntryTable"/>. Owned by a single actor, so plain collections are safe and
/// every command is atomic without locks.</summary>
public sealed partial class PartitionState
{
    private readonly EntryTable _table;
    private readonly PartitionLimits _limits;
    private readonly RequestWindow _recentRequests;
    private readonly MemoryPolicy _memory;

    public PartitionState(PartitionLimits limits, int requestWindow = 4096, TimeProvider? clock = null, MemoryPolicy? memory = null)
    {
        _limits = limits;
        _recentRequests = new RequestWindow(requestWindow);
        _memory = memory ?? MemoryPolicy.Unlimited;
        _table = new EntryTable(clock ?? TimeProvider.System, _memory.Policy);
    }

    /// <summary>Entries held, including expired ones not yet collected.</summary>
    public int Count => _table.Count;

    public long UsedBytes => _table.UsedBytes;

    public long Evictions => _table.Evictions;

    private long Now => _table.Now;

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
            KeyExists exists => Decision.Read(new Existence(_table.Live(exists.Key) is not null)),
            TimeToLive ttl => Decision.Read(new CounterValue(_table.Live(ttl.Key) is { } e ? (e.ExpiresAt == 0 ? -1 : e.ExpiresAt - Now) : -2)),
            SetValue set => DecideSet(set, requestId),
            CompareAndSet cas => DecideCompareAndSet(cas, requestId),
            DeleteKey delete => _table.Live(delete.Key) is null
                ? Decision.Read(new Deleted(false))
                : Write(requestId, new Deleted(true), new EntryRemoved(delete.Key)),
            IncrementBy incr => DecideIncrement(incr, requestId),
            AppendValue append => DecideAppend(append, requestId),
            GetAndSet getSet => Write(requestId, new Found(_table.Live(getSet.Key)?.Value), new EntrySet(getSet.Key, getSet.Value, 0)),
            GetAndDelete getDel => _table.Live(getDel.Key) is { } e
                ? Write(requestId, new Found(e.Value), new EntryRemoved(getDel.Key))
                : Decision.Read(new Found(null)),
            ExpireKey expire => DecideExpire(expire, requestId),
            PersistKey persist => _table.Live(persist.Key) is { ExpiresAt: not 0 }
                ? Write(requestId, new Existence(true), new EntryExpiry(persist.Key, 0))
                : Decision.Read(new Existence(false)),
            MultiGetPart get => ReadMany(get.Keys),
            MultiSetPart set => Write(requestId, Stored.Instance, set.Entries.Select(e => (EntryChange)new EntrySet(e.Key, e.Value, 0)).ToArray()),
            // After CountLive's sweep every key left in the expiry index is live, so its size is the expiring count.
            CountPart { WithExpires: true } => Decision.Read(new KeyCount(CountLive(), _table.ExpiringCount)),
            CountPart => Decision.Read(new CounterValue(CountLive())),
            FlushPart => _table.Count == 0 ? Decision.Read(Stored.Instance) : Write(requestId, Stored.Instance, AllRemoved.Instance),
            ScanPart scan => Decision.Read(Scan(scan)),
            ExpireTime expireTime => Decision.Read(new CounterValue(_table.Live(expireTime.Key) is { } e ? (e.ExpiresAt == 0 ? -1 : e.ExpiresAt) : -2)),
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
        _recentRequests.Forget(Now);
        return _table.RemoveExpired(max);
    }

    public PartitionSnapshot ToSnapshot() => new(
        _table.Entries.Select(e => new SnapshotEntry(e.Key, e.Value.Value, e.Value.Version, e.Value.ExpiresAt)).ToArray(),
        _recentRequests.Snapshot(),
        _table.NextVersion,
        _table.Evictions,
        _table.Windows.Select(s => new SnapshotSliding(s.Key, s.Value.WindowMs, s.Value.NotAfter)).ToArray());

    public void Restore(PartitionSnapshot snapshot)
    {
        foreach (var key in _table.Entries.Keys.ToArray())
            _table.Remove(key);
        foreach (var entry in snapshot.Entries)
        {
            ApplyChange(new EntrySet(entry.Key, entry.Value, entry.ExpiresAt));
            if (entry.Version != 0)
                _table.RestoreVersion(entry.Key, entry.Version);
        }
        foreach (var sliding in snapshot.Sliding ?? [])
            ApplyChange(new EntrySliding(sliding.Key, sliding.WindowMs, sliding.NotAfter));
        _table.RestoreCounters(snapshot.NextVersion, snapshot.Evictions);
        _recentRequests.Restore(snapshot.RecentRequests);
    }

    private Decision DecideSet(SetValue set, Guid requestId)
    {
        var existing = _table.Live(set.Key);
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
        var found = _table.Touch(cas.Key);
        if (found is not { } existing || existing.Version != cas.ExpectedVersion)
            return Decision.Read(new CasResult(false, found?.Version ?? 0));
        if (ExpiryRules.Resolve(cas.Expiry, existing.ExpiresAt, Now) is not { } expiresAt)
            return InvalidExpiry();
        // Apply runs right after this decision, before the next command is decided, so the version the
        // entry will get is the next one.
        return Write(requestId, new CasResult(true, _table.NextVersion), WithWindow(new EntrySet(cas.Key, cas.Value, expiresAt), cas.Key, cas.Expiry));
    }

    private Decision DecideIncrement(IncrementBy incr, Guid requestId)
    {
        var existing = _table.Live(incr.Key);
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
        var existing = _table.Live(append.Key);
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
        if (_table.Live(expire.Key) is not { } existing)
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
        if (_table.Touch(getEx.Key) is not { } existing)
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
        var entry = _table.Touch(key);
        if (entry is null || !_table.TryGetWindow(key, out var window))
            return Decision.Read(reply(entry));
        return new Decision(new PartitionChanged(Guid.Empty, null, Slid(key, window)), reply(entry));
    }

    private Decision ReadMany(CacheKey[] keys)
    {
        var values = new CacheValue?[keys.Length];
        List<EntryChange>? slid = null;
        for (var i = 0; i < keys.Length; i++)
        {
            values[i] = _table.Touch(keys[i])?.Value;
            if (values[i] is not null && _table.TryGetWindow(keys[i], out var window))
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
        if (!_table.TryGetWindow(set.Key, out var window))
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
                if (EvictionsFor(UsedBytes + growth - budget, changes) is not { } evictions)
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
                growth += CacheEntry.SizeOf(set.Key, set.Value) - _table.SizeOf(set.Key);
            else if (change is EntryRemoved removed)
                growth -= _table.SizeOf(removed.Key);
        }
        return growth;
    }

    /// <summary>The evictions that free <paramref name="needed"/> bytes without evicting a key the write
    /// itself sets, or null when the policy cannot.</summary>
    private List<EntryChange>? EvictionsFor(long needed, EntryChange[] changes)
    {
        var written = changes.OfType<EntrySet>().Select(s => s.Key).ToHashSet();
        return _table.KeysToEvict(needed, written)?.Select(key => (EntryChange)new EntryRemoved(key, Evicted: true)).ToList();
    }

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
            case EntryExpiry expiry:
                _table.SetExpiry(expiry.Key, expiry.ExpiresAt);
                break;
            case EntrySliding sliding:
                _table.SetWindow(sliding.Key, new SlidingWindow(sliding.WindowMs, sliding.NotAfter));
                break;
            case AllRemoved:
                _table.Clear();
                break;
        }
    }

    private long CountLive()
    {
        RemoveExpired();
        return _table.Count;
    }

    private PartPage Scan(ScanPart scan)
    {
        RemoveExpired();
        var keys = _table.Entries.Keys
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
}
