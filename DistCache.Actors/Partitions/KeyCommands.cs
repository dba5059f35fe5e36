using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The commands on keys whatever type of value they hold: DEL, EXISTS, TOUCH, TTL, EXPIRETIME,
/// EXPIRE, PERSIST, RENAME, COPY, and the partition-wide DBSIZE, FLUSHALL, SCAN and RANDOMKEY shares. They
/// journal with the table's own change types (removal, expiry), and RENAME and COPY with the event the
/// value's type gives for a copy (<see cref="DataType.CopyTo"/>).</summary>
public sealed class KeyCommands
{
    private readonly EntryTable _table;
    private readonly DecisionRules _rules;
    private readonly Action _removeExpired;

    /// <param name="removeExpired">The partition's active expiry (expired keys, and request ids no retry
    /// can reach any more), run before keys are counted or listed.</param>
    public KeyCommands(EntryTable table, DecisionRules rules, Action removeExpired)
    {
        _table = table;
        _rules = rules;
        _removeExpired = removeExpired;
    }

    /// <summary>TYPE and OBJECT ENCODING. Not a use of the key (Redis looks it up without touching it).</summary>
    public Decision Describe(DescribeKey describe) => Decision.Read(_table.Live(describe.Key) is { } entry
        ? new KeyDescription(entry.Type.Name, entry.Type.EncodingOf(entry))
        : new KeyDescription("none", null));

    public Decision Exists(KeyExists exists) => Decision.Read(new Existence(_table.Live(exists.Key) is not null));

    public Decision Touch(TouchKey touch) => _rules.Read(touch.Key, null, e => new Existence(e is not null));

    public Decision TimeToLive(TimeToLive ttl) =>
        Decision.Read(new CounterValue(_table.Live(ttl.Key) is { } e ? (e.ExpiresAt == 0 ? -1 : e.ExpiresAt - _table.Now) : -2));

    public Decision ExpireTime(ExpireTime expireTime) =>
        Decision.Read(new CounterValue(_table.Live(expireTime.Key) is { } e ? (e.ExpiresAt == 0 ? -1 : e.ExpiresAt) : -2));

    public Decision Delete(DeleteKey delete, Guid requestId) => _table.Live(delete.Key) is null
        ? Decision.Read(new Deleted(false))
        : _rules.Write(requestId, new Deleted(true), new EntryRemoved(delete.Key));

    public Decision Expire(ExpireKey expire, Guid requestId)
    {
        if (_table.Live(expire.Key) is not { } existing)
            return Decision.Read(new Existence(false));
        if (expire.When != ExpireConditions.None && !ExpiryRules.Allows(expire.When, existing.ExpiresAt, ExpiryRules.Target(expire.Expiry, _table.Now)))
            return Decision.Read(new Existence(false));
        if (ExpiryRules.DeletesNow(expire.Expiry, _table.Now))
            return _rules.Write(requestId, new Existence(true), new EntryRemoved(expire.Key));
        if (expire.Expiry.Kind == ExpiryKind.Keep)
            return Decision.Read(new Existence(true));
        return ExpiryRules.Resolve(expire.Expiry, existing.ExpiresAt, _table.Now) is { } at
            ? _rules.Write(requestId, new Existence(true), _rules.WithWindow(new EntryExpiry(expire.Key, at), expire.Key, expire.Expiry))
            : DecisionRules.InvalidExpiry();
    }

    public Decision Persist(PersistKey persist, Guid requestId) => _table.Live(persist.Key) is { ExpiresAt: not 0 }
        ? _rules.Write(requestId, new Existence(true), new EntryExpiry(persist.Key, 0))
        : Decision.Read(new Existence(false));

    public Decision Rename(RenameKey rename, Guid requestId)
    {
        if (_table.Live(rename.Key) is not { } source)
            return Decision.Reject(CacheErrorCode.NoSuchKey);
        ICacheReply done = rename.IfAbsent ? new Written(true) : Stored.Instance;
        // Redis answers a rename onto itself without touching the key (RENAMENX says 0: the name is taken).
        if (rename.Key == rename.NewKey)
            return Decision.Read(rename.IfAbsent ? new Written(false) : Stored.Instance);
        if (rename.IfAbsent && _table.Live(rename.NewKey) is not null)
            return Decision.Read(new Written(false));
        return _rules.Write(requestId, done, [.. Moved(rename.Key, source, rename.NewKey), new EntryRemoved(rename.Key)]);
    }

    public Decision Copy(CopyKey copy, Guid requestId)
    {
        if (_table.Live(copy.Key) is not { } source)
            return Decision.Read(new Existence(false));
        if (!copy.Replace && _table.Live(copy.Destination) is not null)
            return Decision.Read(new Existence(false));
        return _rules.Write(requestId, new Existence(true), Moved(copy.Key, source, copy.Destination));
    }

    /// <summary>DBSIZE's share; with <paramref name="withExpires"/> also the keys that have an expiry.</summary>
    public Decision Count(bool withExpires)
    {
        _removeExpired();
        // After the sweep every key left in the expiry index is live, so its size is the expiring count.
        return Decision.Read(withExpires ? new KeyCount(_table.Count, _table.ExpiringCount) : new CounterValue(_table.Count));
    }

    public Decision Flush(Guid requestId) =>
        _table.Count == 0 ? Decision.Read(Stored.Instance) : _rules.Write(requestId, Stored.Instance, AllRemoved.Instance);

    public Decision Scan(ScanPart scan)
    {
        _removeExpired();
        var keys = _table.Entries
            .Where(e => (scan.After is not { } after || e.Key.CompareTo(after) > 0) && (scan.Type is null || e.Value.Type.Name == scan.Type))
            .Select(e => e.Key)
            .Order()
            .Take(scan.Count + 1)
            .ToArray();
        return Decision.Read(keys.Length > scan.Count
            ? new PartPage(keys[..scan.Count], keys[scan.Count - 1])
            : new PartPage(keys, null));
    }

    public Decision RandomKey() => Decision.Read(new PartPage(PickRandomKey() is { } picked ? [picked] : [], null));

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
        _removeExpired();
        return _table.Count > 0 ? _table.Entries.Keys.First() : (CacheKey?)null;
    }

    // The value and expiry of one key set on another; a sliding expiry keeps its window.
    private EntryChange[] Moved(CacheKey from, CacheEntry source, CacheKey to)
    {
        var set = source.Type.CopyTo(to, source);
        return _table.TryGetWindow(from, out var window)
            ? [set, new EntrySliding(to, window.WindowMs, window.NotAfter)]
            : [set];
    }
}
