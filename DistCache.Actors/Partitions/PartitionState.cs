using DistCache.Actors.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The keys of one partition and the rules that change them. <see cref="Decide"/> never mutates;
/// <see cref="Apply"/> is the only mutation and runs for live writes and for recovery alike.
/// Owned by a single actor, so a plain dictionary is safe and INCR is atomic without locks.</summary>
public sealed class PartitionState
{
    private readonly Dictionary<string, CacheValue> _entries = new(StringComparer.Ordinal);
    private readonly PartitionLimits _limits;
    private readonly RequestWindow _recentRequests;

    public PartitionState(PartitionLimits limits, int requestWindow = 4096)
    {
        _limits = limits;
        _recentRequests = new RequestWindow(requestWindow);
    }

    public int Count => _entries.Count;

    public IEnumerable<KeyValuePair<string, CacheValue>> Entries => _entries;

    public Decision Decide(ICacheCommand command, Guid requestId = default)
    {
        if (CommandValidator.Validate(command, _limits) is { } rejected)
            return new Decision(null, rejected);

        // A retry of a write already applied: answer as the first time, change nothing.
        if (command is IWriteCommand && _recentRequests.TryGet(requestId, out var original))
            return Decision.Read(original);

        return command switch
        {
            GetValue get => Decision.Read(new Found(_entries.GetValueOrDefault(get.Key))),
            KeyExists exists => Decision.Read(new Existence(_entries.ContainsKey(exists.Key))),
            SetValue set => new Decision(new ValueWritten(set.Key, set.Value, requestId), Stored.Instance),
            DeleteKey delete => _entries.ContainsKey(delete.Key)
                ? new Decision(new KeyRemoved(delete.Key, requestId), new Deleted(true))
                : Decision.Read(new Deleted(false)),
            IncrementBy incr => DecideIncrement(incr, requestId),
            _ => Decision.Reject(CacheErrorCode.InvalidKey, $"ERR unknown command {command.GetType().Name}"),
        };
    }

    public void Apply(ICacheEvent evt)
    {
        switch (evt)
        {
            case ValueWritten written:
                _entries[written.Key] = written.Value;
                _recentRequests.Remember(written.RequestId, written.IsCounter && IntegerValue.TryRead(written.Value, out var n)
                    ? new CounterValue(n)
                    : Stored.Instance);
                break;
            case KeyRemoved removed:
                _entries.Remove(removed.Key);
                _recentRequests.Remember(removed.RequestId, new Deleted(true));
                break;
        }
    }

    public PartitionSnapshot ToSnapshot() => new(_entries.ToArray(), _recentRequests.Snapshot());

    public void Restore(PartitionSnapshot snapshot)
    {
        _entries.Clear();
        foreach (var (key, value) in snapshot.Entries)
            _entries[key] = value;
        _recentRequests.Restore(snapshot.RecentRequests);
    }

    private Decision DecideIncrement(IncrementBy incr, Guid requestId)
    {
        long current = 0;
        if (_entries.TryGetValue(incr.Key, out var existing) && !IntegerValue.TryRead(existing, out current))
            return Decision.Reject(CacheErrorCode.NotAnInteger, "ERR value is not an integer or out of range");

        long next;
        try
        {
            next = checked(current + incr.Delta);
        }
        catch (OverflowException)
        {
            return Decision.Reject(CacheErrorCode.IntegerOverflow, "ERR increment or decrement would overflow");
        }

        return new Decision(new ValueWritten(incr.Key, IntegerValue.From(next), requestId, IsCounter: true), new CounterValue(next));
    }
}
