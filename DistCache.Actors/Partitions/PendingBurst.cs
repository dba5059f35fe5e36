using System.Diagnostics;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The writes a partition has applied while its previous journal write was in flight, waiting to
/// be journaled together as one event (one journal row), and what to do once that event is stored:
/// acknowledge a write (mode always), answer a read that saw one of them. Writes and answers keep the order
/// they arrived in, so replies leave the partition in the order its commands came.
/// Owned by one actor: plain collections, no locks.</summary>
public sealed class PendingBurst
{
    /// <summary>Past this many bytes of keys and values a burst is journaled without waiting for the write
    /// in flight (the journal queues it behind that write), so one row stays far below the databases' row
    /// limits and one event is cheap to read back on recovery.</summary>
    public const int MaxBytes = 1 << 20;

    private const int BytesPerChange = 16; // the change's tag, lengths and expiry, roughly

    private readonly List<PartitionChanged> _writes = [];
    private readonly List<Action> _whenStored = [];
    // The spans of the traced writes waiting; created at the first one, so untraced writes pay nothing.
    private List<ActivityContext>? _traces;

    /// <summary>Writes waiting.</summary>
    public int Count => _writes.Count;

    public bool IsEmpty => _writes.Count == 0;

    /// <summary>An estimate of the event's size: its keys and values.</summary>
    public long Bytes { get; private set; }

    public bool IsFull => Bytes >= MaxBytes;

    /// <summary>Adds a write already applied to the state, with what to do once it is stored (nothing when
    /// it was acknowledged already, in mode batched), and the span of the request that made it when it is traced.</summary>
    public void Add(PartitionChanged write, Action? whenStored, ActivityContext trace = default)
    {
        _writes.Add(write);
        if (trace != default)
            (_traces ??= []).Add(trace);
        Bytes += SizeOf(write);
        if (whenStored is not null)
            _whenStored.Add(whenStored);
    }

    /// <summary>Runs <paramref name="action"/> once every write now in the burst is stored: how a read that
    /// saw them waits for them.</summary>
    public void WhenStored(Action action)
    {
        if (IsEmpty)
            throw new InvalidOperationException("An empty burst is never stored: nothing to wait for");
        _whenStored.Add(action);
    }

    /// <summary>The event to journal and what to run once it is stored; the burst is empty again. A lone
    /// write is journaled as itself, in the layout a partition always used.</summary>
    public Closed Close()
    {
        if (IsEmpty)
            throw new InvalidOperationException("An empty burst has no event to journal");
        ICacheEvent evt = _writes.Count == 1 ? _writes[0] : new PartitionBurst(_writes.ToArray());
        var closed = new Closed(evt, _writes.Count, _whenStored.ToArray(), Bytes, _traces is { Count: > 0 } ? _traces.ToArray() : null);
        _traces?.Clear();
        _writes.Clear();
        _whenStored.Clear();
        Bytes = 0;
        return closed;
    }

    private static long SizeOf(PartitionChanged write)
    {
        long bytes = 0;
        foreach (var change in write.Changes)
        {
            bytes += BytesPerChange + change switch
            {
                EntrySet set => set.Key.Length + set.Value.Data.Length,
                EntryRemoved removed => removed.Key.Length,
                EntryExpiry expiry => expiry.Key.Length,
                HashFieldsSet set => set.Key.Length + set.Fields.Sum(f => (long)f.Field.Length + f.Value.Length),
                HashFieldsRemoved removed => removed.Key.Length + removed.Fields.Sum(f => (long)f.Length),
                HashReplaced replaced => replaced.Key.Length + replaced.Fields.Sum(f => (long)f.Field.Length + f.Value.Length),
                ZSetMembersScored scored => scored.Key.Length + scored.Members.Sum(m => (long)m.Member.Length + sizeof(double)),
                ZSetMembersRemoved removed => removed.Key.Length + removed.Members.Sum(m => (long)m.Length),
                ZSetReplaced replaced => replaced.Key.Length + replaced.Members.Sum(m => (long)m.Member.Length + sizeof(double)),
                SetMembersAdded added => added.Key.Length + added.Members.Sum(m => (long)m.Length),
                SetMembersRemoved removed => removed.Key.Length + removed.Members.Sum(m => (long)m.Length),
                SetReplaced replaced => replaced.Key.Length + replaced.Members.Sum(m => (long)m.Length),
                _ => 0,
            };
        }
        return bytes;
    }

    /// <summary>A closed burst: the event, how many writes it holds, the actions to run once it is stored, and
    /// the spans of its traced writes (null when none was traced).</summary>
    public readonly record struct Closed(ICacheEvent Event, int Writes, Action[] WhenStored, long Bytes, ActivityContext[]? Traces = null);
}
