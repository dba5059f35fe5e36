using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The commands of the string type (<see cref="StringType"/>): GET, SET, CAS, GETSET, GETDEL, GETEX,
/// MGET, MSET, MSETNX and the counters, with the range and bit commands in
/// <c>StringCommands.Edits.cs</c>. Each works out a decision without changing anything; its journal event
/// says what the key now holds (<see cref="EntrySet"/>, the whole string: INCR journals its result, not the
/// delta, so replay never recomputes). A command that reads a key holding another type answers WRONGTYPE,
/// as in Redis; SET, MSET and CAS replace whatever the key holds.</summary>
public sealed partial class StringCommands
{
    private static readonly StringType Strings = StringType.Instance;

    private readonly EntryTable _table;
    private readonly DecisionRules _rules;
    private readonly PartitionLimits _limits;

    public StringCommands(EntryTable table, DecisionRules rules, PartitionLimits limits)
    {
        _table = table;
        _rules = rules;
        _limits = limits;
    }

    public Decision Get(GetValue get) => _rules.Read(get.Key, Strings, e => new Found(e?.Value));

    public Decision GetWithVersion(GetWithVersion get) =>
        _rules.Read(get.Key, Strings, e => e is { } found ? new FoundVersioned(found.Value, found.Version) : new FoundVersioned(null, 0));

    // The time left, not the moment: the near cache that asks counts it on its own clock.
    public Decision GetCacheable(GetCacheable get) => _rules.Read(get.Key, Strings, e => e is { } found
        ? new FoundCacheable(found.Value, found.ExpiresAt == 0 ? -1 : Math.Max(0, found.ExpiresAt - _table.Now), _table.TryGetWindow(get.Key, out _))
        : new FoundCacheable(null, -1, false));

    public Decision Set(SetValue set, Guid requestId)
    {
        var existing = _table.Live(set.Key);
        // SET … GET reads the old value first, so it fails on another type as GET does (Redis 7).
        if (set.ReturnPrevious && Strings.Conflicts(existing))
            return DataType.WrongType();
        if ((set.When == SetCondition.IfAbsent && existing is not null) || (set.When == SetCondition.IfPresent && existing is null))
            return Decision.Read(set.ReturnPrevious ? new Found(existing?.Value) : new Written(false));
        if (ExpiryRules.Resolve(set.Expiry, existing?.ExpiresAt ?? 0, _table.Now) is not { } expiresAt)
            return DecisionRules.InvalidExpiry();
        ICacheReply reply = set.ReturnPrevious ? new Found(existing?.Value)
            : set.When == SetCondition.Always ? Stored.Instance : new Written(true);
        return _rules.Write(requestId, reply, _rules.WithWindow(new EntrySet(set.Key, set.Value, expiresAt), set.Key, set.Expiry));
    }

    // Like SET, a CAS replaces whatever the key holds; the version it must match is its guard.
    public Decision CompareAndSet(CompareAndSet cas, Guid requestId)
    {
        var found = _table.Touch(cas.Key);
        if (found is not { } existing || existing.Version != cas.ExpectedVersion)
            return Decision.Read(new CasResult(false, found?.Version ?? 0));
        if (ExpiryRules.Resolve(cas.Expiry, existing.ExpiresAt, _table.Now) is not { } expiresAt)
            return DecisionRules.InvalidExpiry();
        // Apply runs right after this decision, before the next command is decided, so the version the
        // entry will get is the next one.
        return _rules.Write(requestId, new CasResult(true, _table.NextVersion), _rules.WithWindow(new EntrySet(cas.Key, cas.Value, expiresAt), cas.Key, cas.Expiry));
    }

    public Decision GetAndSet(GetAndSet getSet, Guid requestId)
    {
        var existing = _table.Live(getSet.Key);
        return Strings.Conflicts(existing)
            ? DataType.WrongType()
            : _rules.Write(requestId, new Found(existing?.Value), new EntrySet(getSet.Key, getSet.Value, 0));
    }

    public Decision GetAndDelete(GetAndDelete getDel, Guid requestId)
    {
        if (_table.Live(getDel.Key) is not { } existing)
            return Decision.Read(new Found(null));
        return Strings.Conflicts(existing)
            ? DataType.WrongType()
            : _rules.Write(requestId, new Found(existing.Value), new EntryRemoved(getDel.Key));
    }

    // GETEX: the value, and the key's expiry changed as the request says, in one step.
    public Decision GetAndExpire(GetAndExpire getEx, Guid requestId)
    {
        var found = _table.Touch(getEx.Key);
        if (Strings.Conflicts(found))
            return DataType.WrongType();
        if (found is not { } existing)
            return Decision.Read(new Found(null));
        // PERSIST on a key without a time to live changes nothing: Redis does not signal it to WATCH.
        if (getEx.Expiry.Kind == ExpiryKind.Keep || (getEx.Expiry.Kind == ExpiryKind.Clear && existing.ExpiresAt == 0))
            return _rules.Read(getEx.Key, Strings, e => new Found(e?.Value));
        // An EXAT/PXAT already past deletes the key at once, as Redis's GETEX does (its keyspace event is del);
        // EX/PX of 0 or less stay an invalid expire time, as in Redis.
        if (getEx.Expiry is { Kind: ExpiryKind.At, Milliseconds: > 0 } && ExpiryRules.DeletesNow(getEx.Expiry, _table.Now))
            return _rules.Write(requestId, new Found(existing.Value), new EntryRemoved(getEx.Key));
        return ExpiryRules.Resolve(getEx.Expiry, existing.ExpiresAt, _table.Now) is { } at
            ? _rules.Write(requestId, new Found(existing.Value), _rules.WithWindow(new EntryExpiry(getEx.Key, at), getEx.Key, getEx.Expiry))
            : DecisionRules.InvalidExpiry();
    }

    /// <summary>MGET's share in this partition: a key holding another type reads as missing, as in Redis.</summary>
    public Decision GetMany(MultiGetPart get)
    {
        var keys = get.Keys;
        var values = new CacheValue?[keys.Length];
        List<EntryChange>? slid = null;
        for (var i = 0; i < keys.Length; i++)
        {
            var entry = _table.Touch(keys[i]);
            values[i] = Strings.Conflicts(entry) ? null : entry?.Value;
            if (values[i] is not null && _table.TryGetWindow(keys[i], out var window))
                (slid ??= []).AddRange(_rules.Slid(keys[i], window));
        }
        var reply = new Values(values);
        return slid is null ? Decision.Read(reply) : new Decision(new PartitionChanged(Guid.Empty, null, slid.ToArray()), reply);
    }

    public Decision SetMany(MultiSetPart set, Guid requestId) =>
        _rules.Write(requestId, Stored.Instance, set.Entries.Select(e => (EntryChange)new EntrySet(e.Key, e.Value, 0)).ToArray());

    public Decision SetManyIfAbsent(MultiSetIfAbsent msetnx, Guid requestId)
    {
        foreach (var entry in msetnx.Entries)
        {
            if (_table.Live(entry.Key) is not null)
                return Decision.Read(new Written(false));
        }
        return _rules.Write(requestId, new Written(true), msetnx.Entries.Select(e => (EntryChange)new EntrySet(e.Key, e.Value, 0)).ToArray());
    }

    public Decision Increment(IncrementBy incr, Guid requestId)
    {
        var existing = _table.Live(incr.Key);
        if (Strings.Conflicts(existing))
            return DataType.WrongType();
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
        return _rules.Write(requestId, new CounterValue(next), _rules.KeepingExpiry(new EntrySet(incr.Key, IntegerValue.From(next), existing?.ExpiresAt ?? 0)));
    }
}
