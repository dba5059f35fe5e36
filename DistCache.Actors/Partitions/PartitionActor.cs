using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using DistCache.Actors.Monitoring;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>One partition: a thin persistent shell around <see cref="PartitionState"/>. It applies what
/// the state decided, journals it (group commit, per <see cref="DurabilityMode"/>), applies events with the
/// same code on recovery, and snapshots every N events, deleting what the snapshot covers so recovery
/// stays short.</summary>
public sealed class PartitionActor : ReceivePersistentActor, IWithTimers
{
    private readonly PartitionState _state;
    private readonly PartitionSettings _settings;
    private readonly string _partitionId;
    private readonly RecoveryTracker? _recovery;
    private readonly NodeMetrics? _metrics;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _recoveryClock = Stopwatch.StartNew();
    private long _lastSnapshotSequenceNr;
    private int _pendingWrites;
    private bool _stopping;
    private bool _snapshotInFlight;

    public PartitionActor(string partitionId, PartitionSettings settings, RecoveryTracker? recovery = null, TimeProvider? clock = null,
        NodeMetrics? metrics = null)
    {
        _metrics = metrics;
        PersistenceId = PersistenceIdFor(partitionId);
        _partitionId = partitionId;
        _recovery = recovery;
        _settings = settings;
        var memory = new MemoryPolicy(settings.Eviction,
            () => settings.MaxMemoryBytes <= 0 ? 0 : settings.MaxMemoryBytes / Math.Max(1, recovery?.RecoveredPartitions ?? 1));
        _state = new PartitionState(settings.Limits, settings.RequestWindow, clock, memory);

        Recover<SnapshotOffer>(offer =>
        {
            _state.Restore((PartitionSnapshot)offer.Snapshot);
            _lastSnapshotSequenceNr = offer.Metadata.SequenceNr;
        });
        Recover<ICacheEvent>(evt => _state.Apply(evt));
        Recover<RecoveryCompleted>(_ =>
        {
            // Entries whose time passed while the partition was down are not brought back.
            _state.RemoveExpired();
            Timers.StartPeriodicTimer("expire", ExpireTick.Instance, settings.ActiveExpiryInterval ?? TimeSpan.FromSeconds(1));
            _log.Info("event=partition-recovered partition={0} keys={1} ms={2} sequence={3}",
                partitionId, _state.Count, _recoveryClock.ElapsedMilliseconds, LastSequenceNr);
            _recovery?.Recovered(partitionId, _state.Count);
            ReportStats();
        });

        Command<ClientRequest>(request =>
        {
            // Stopping: leave the request unanswered; the client's retry (same request id) reaches the
            // partition's next home.
            if (!_stopping)
                Handle(request);
        });
        Command<StopPartition>(_ =>
        {
            _stopping = true;
            // Runs once every write already persisted (and every read waiting behind one) is done.
            DeferAsync(StopPartition.Instance, _ => FinishStopping());
        });
        // Active expiry, bounded per tick so a partition full of expiring keys stays responsive.
        Command<ExpireTick>(_ =>
        {
            _state.RemoveExpired(ActiveExpiryBatch);
            ReportStats();
        });
        Command<SaveSnapshotSuccess>(OnSnapshotSaved);
        Command<SaveSnapshotFailure>(failure =>
        {
            _snapshotInFlight = false;
            _log.Warning(failure.Cause, "Snapshot of {0} failed; the journal still holds every event", PersistenceId);
            if (_stopping)
                Context.Stop(Self);
        });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failure =>
            _log.Warning(failure.Cause, "Deleting events of {0} up to {1} failed; they will be deleted after the next snapshot", PersistenceId, failure.ToSequenceNr));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure =>
            _log.Warning(failure.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
    }

    public override string PersistenceId { get; }

    // A memory-only partition reads nothing back: it starts empty wherever it starts.
    public override Recovery Recovery => _settings.Durability == DurabilityMode.None ? Recovery.None : Recovery.Default;

    public ITimerScheduler Timers { get; set; } = null!;

    private const int ActiveExpiryBatch = 1000;

    /// <summary>Writes a partition acknowledges in mode batched before they are in the journal, at most.</summary>
    public const int MaxUnwrittenBatched = 100;

    protected override void PostStop()
    {
        _recovery?.Stopped(_partitionId);
        _metrics?.Stopped(_partitionId);
        _log.Info("event=partition-stopped partition={0} keys={1} (moved to another node, or this node is leaving)", _partitionId, _state.Count);
        base.PostStop();
    }

    public static string PersistenceIdFor(string partitionId) => "partition-" + partitionId;

    public static Props Props(string partitionId, PartitionSettings settings, RecoveryTracker? recovery = null, TimeProvider? clock = null,
        NodeMetrics? metrics = null) =>
        Akka.Actor.Props.Create(() => new PartitionActor(partitionId, settings, recovery, clock, metrics));

    private void ReportStats() => _metrics?.Report(_partitionId, _state.Count, _state.UsedBytes, _state.Evictions);

    private sealed class ExpireTick
    {
        public static readonly ExpireTick Instance = new();
    }

    private void Handle(ClientRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var decision = _state.Decide(request.Command, request.RequestId);
        var response = new ClientResponse(request.CorrelationId, decision.Reply);
        var replyTo = Sender;
        var operation = request.Command.GetType().Name;
        if (decision.Event is null)
        {
            // In mode always a read may have seen a write whose event is still on its way to the journal:
            // its answer waits behind that write, so nobody observes a value that a crash could take back.
            if (_pendingWrites > 0 && _settings.Durability == DurabilityMode.Always)
                DeferAsync(response, r => Answer(replyTo, r, operation, started));
            else
                Answer(replyTo, response, operation, started);
            return;
        }

        // Applied now, so the commands behind this one decide against it while its event is still being
        // written; the journal receives events in the same order, so recovery rebuilds the same state.
        _state.Apply(decision.Event);
        switch (_settings.Durability)
        {
            case DurabilityMode.None:
                Answer(replyTo, response, operation, started);
                return;
            // The unwritten backlog is bounded: past it, a write waits for the journal as in mode always,
            // so the writes a crash can take back stay a bounded few and a leave drains them in time.
            case DurabilityMode.Batched when _pendingWrites < MaxUnwrittenBatched:
                Answer(replyTo, response, operation, started);
                Store(decision.Event, null);
                return;
            default:
                Store(decision.Event, () => Answer(replyTo, response, operation, started));
                return;
        }
    }

    private void Answer(IActorRef replyTo, ClientResponse response, string operation, long started)
    {
        replyTo.Tell(response);
        _metrics?.Operation(operation, started);
    }

    // PersistAsync keeps taking commands while a write is in flight; Akka.Persistence sends everything
    // persisted meanwhile as one batch when the write completes: that is the group commit.
    private void Store(ICacheEvent evt, Action? whenStored)
    {
        _pendingWrites++;
        var writeStarted = Stopwatch.GetTimestamp();
        PersistAsync(evt, _ =>
        {
            _pendingWrites--;
            _metrics?.JournalWrite(writeStarted);
            whenStored?.Invoke();
            SnapshotIfDue();
        });
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        // The state already holds the rejected event: start again from the journal rather than serve
        // a state the journal lacks. Sharding restarts the partition; the client's retry decides anew.
        Context.Stop(Self);
    }

    private void SnapshotIfDue()
    {
        // A snapshot covers LastSequenceNr, the last event the journal confirmed; with writes still pending
        // the state holds more than that and recovery would apply those events twice.
        if (_snapshotInFlight || _pendingWrites > 0 || LastSequenceNr - _lastSnapshotSequenceNr < _settings.SnapshotEvery)
            return;
        _snapshotInFlight = true;
        SaveSnapshot(_state.ToSnapshot());
    }

    // A partition that stops (its shard moves, or the node leaves) first snapshots what the journal holds
    // beyond its last snapshot, so its next start, here or on another node, reads one snapshot instead of
    // replaying up to snapshot-every events.
    private void FinishStopping()
    {
        if (_settings.Durability == DurabilityMode.None || LastSequenceNr == _lastSnapshotSequenceNr)
        {
            Context.Stop(Self);
            return;
        }
        if (_snapshotInFlight)
            return; // OnSnapshotSaved comes back here.
        _snapshotInFlight = true;
        SaveSnapshot(_state.ToSnapshot());
    }

    private void OnSnapshotSaved(SaveSnapshotSuccess success)
    {
        _snapshotInFlight = false;
        var sequenceNr = success.Metadata.SequenceNr;
        _lastSnapshotSequenceNr = sequenceNr;
        DeleteMessages(sequenceNr);
        DeleteSnapshots(new SnapshotSelectionCriteria(sequenceNr - 1));
        if (_stopping)
        {
            FinishStopping();
            return;
        }
        // Writes that arrived while this snapshot was being saved may already make the next one due.
        SnapshotIfDue();
    }
}
