using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace DistCache.Tests.Support;

/// <summary>An in-memory journal whose writes wait until the test opens the gate, and which records the
/// size of every write it receives: what a test needs to see when a write is acknowledged and how
/// writes are grouped. One test at a time uses it (tests run one class after another).</summary>
public sealed class GatedJournal : MemoryJournal
{
    private static volatile TaskCompletionSource _gate = Opened();

    public static readonly ConcurrentQueue<int> WriteSizes = new();

    public const string Config = """
        akka.persistence.journal.plugin = "akka.persistence.journal.gated"
        akka.persistence.journal.gated.class = "DistCache.Tests.Support.GatedJournal, DistCache.Tests"
        akka.persistence.journal.gated.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    public static void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Open() => _gate.TrySetResult();

    public static void Reset()
    {
        Open();
        WriteSizes.Clear();
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
        WriteSizes.Enqueue(writes.Sum(w => ((IImmutableList<IPersistentRepresentation>)w.Payload).Count));
        await _gate.Task.WaitAsync(cancellationToken);
        return await base.WriteMessagesAsync(writes, cancellationToken);
    }
}
