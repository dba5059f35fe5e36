using DistCache.Actors.Partitions;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;
using DistCache.Protocol;

namespace DistCache.Tests.Support;

/// <summary>An in-memory journal whose writes wait until the test opens the gate, and which records the
/// size of every write it receives (events) and how many partition writes each event carries: what a
/// test needs to see when a write is acknowledged and how writes are grouped. One test at a time uses it (tests run one class after another).</summary>
public sealed class GatedJournal : MemoryJournal
{
    private static volatile TaskCompletionSource _gate = Opened();

    public static readonly ConcurrentQueue<int> WriteSizes = new();

    /// <summary>Per event written, in order: the partition writes it holds (a burst holds several).</summary>
    public static readonly ConcurrentQueue<int> WritesPerEvent = new();

    /// <summary>Every DeleteMessages the journal received (a partition deletes what a snapshot covers).</summary>
    public static readonly ConcurrentQueue<long> DeletedUpTo = new();

    public const string Config = """
        akka.persistence.journal.plugin = "akka.persistence.journal.gated"
        akka.persistence.journal.gated.class = "DistCache.Tests.Support.GatedJournal, DistCache.Tests"
        akka.persistence.journal.gated.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    /// <summary>How long every write takes once through the gate (a slow disk).</summary>
    public static TimeSpan WriteDelay { get; set; } = TimeSpan.Zero;

    public static void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Open() => _gate.TrySetResult();

    public static void Reset()
    {
        Open();
        WriteSizes.Clear();
        WritesPerEvent.Clear();
        DeletedUpTo.Clear();
        WriteDelay = TimeSpan.Zero;
    }

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        DeletedUpTo.Enqueue(toSequenceNr);
        return base.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken);
    }

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages,
        CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        var events = writes.SelectMany(w => (IImmutableList<IPersistentRepresentation>)w.Payload).ToList();
        WriteSizes.Enqueue(events.Count);
        foreach (var e in events)
            WritesPerEvent.Enqueue(e.Payload is PartitionBurst burst ? burst.Writes.Length : 1);
        await _gate.Task.WaitAsync(cancellationToken);
        if (WriteDelay > TimeSpan.Zero)
            await Task.Delay(WriteDelay, cancellationToken);
        return await base.WriteMessagesAsync(writes, cancellationToken);
    }
}
