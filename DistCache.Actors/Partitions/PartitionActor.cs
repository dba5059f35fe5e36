using DistCache.Actors.Gateway;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using DistCache.Actors.Fencing;
using DistCache.Actors.Monitoring;
using DistCache.Actors.Notifications;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>One partition: a thin persistent shell around <see cref="PartitionState"/>. It applies what
/// the state decided, journals it (the writes that arrive while a journal write is in flight go as one
/// event, see <see cref="PendingBurst"/>; acknowledged per <see cref="DurabilityMode"/>), applies events with the
/// same code on recovery, and snapshots every N events, deleting what the snapshot covers so recovery
/// stays short. With a <see cref="PartitionFence"/> it serves only after claiming the partition in the
/// shared store, and only while its node's lease holds (see the README's guarantees).</summary>
public sealed class PartitionActor : ReceivePersistentActor, IWithTimers
{
    private readonly PartitionState _state;
    private readonly PartitionSettings _settings;
    private readonly string _partitionId;
    private readonly RecoveryTracker? _recovery;
    private readonly NodeMetrics? _metrics;
    private readonly PartitionFence? _fence;
    private readonly LocalPartitions? _local;
    private readonly KeyChanges? _changes;
    private readonly int _partitionNumber;
    private readonly TimeProvider _clock;
    private bool _claimed;
    private bool _claimAsked;
    private bool _served;
    private int _claimGeneration;
    private int _claimRefusals;
    private bool _handOffOffered;
    private bool _handOffSaved;
    private bool _warnedLease;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _recoveryClock = Stopwatch.StartNew();
    private long _lastSnapshotSequenceNr;
    // Writes applied but not yet stored: those in journal writes in flight and those in the burst.
    private int _unwrittenWrites;
    private int _eventsInFlight;
    private readonly PendingBurst _burst = new();
    private bool _stopping;
    private bool _snapshotInFlight;
    // One delete of covered events at a time: two in flight for one partition deadlock each other on
    // PostgreSQL (both update and delete the same rows). A newer snapshot's delete waits for the current one.
    private bool _deleteInFlight;
    private long _deleteNextTo;
    // A snapshot is due while writes are still unwritten: requests wait (stashed) until they are written,
    // so the state the snapshot copies holds exactly the events the journal confirmed.
    private bool _drainingForSnapshot;
    private readonly SnapshotPolicy _snapshots;
    // Callers of blocking pops waiting for a write to one of their keys (see BlockingCall).
    private readonly BlockedCalls<(ClientRequest Request, IActorRef ReplyTo)> _blocked = new();

    public PartitionActor(string partitionId, PartitionSettings settings, RecoveryTracker? recovery = null, TimeProvider? clock = null,
        NodeMetrics? metrics = null, PartitionFence? fence = null, LocalPartitions? local = null, KeyChanges? changes = null)
    {
        _local = local;
        _changes = changes;
        _partitionNumber = int.TryParse(partitionId, out var number) ? number : -1;
        if (_partitionNumber >= 0)
            local?.Hosting(_partitionNumber, Self);
        _metrics = metrics;
        _fence = fence;
        _clock = clock ?? TimeProvider.System;
        _claimed = fence is null;
        _snapshots = new SnapshotPolicy(settings.SnapshotEvery, settings.SnapshotInterval, NowMs(), SnapshotPolicy.PhaseOf(_partitionNumber));
        PersistenceId = PersistenceIdFor(partitionId);
        _partitionId = partitionId;
        _recovery = recovery;
        _settings = settings;
        var memory = new MemoryPolicy(settings.Eviction,
            () => settings.MaxMemoryBytes <= 0 ? 0 : settings.MaxMemoryBytes / Math.Max(1, recovery?.RecoveredPartitions ?? 1));
        _state = new PartitionState(settings.Limits, settings.RequestWindow, clock, memory);
        if (changes is not null)
            _state.Expired = key =>
            {
                if (changes.Active)
                    changes.Expired(_partitionNumber, key);
            };

        Recover<SnapshotOffer>(offer =>
        {
            if (settings.Durability == DurabilityMode.None)
            {
                // A memory-only partition reads only the hand-off snapshot of its previous home, and only
                // a fresh one: an old one is from a move that never completed, and its data is stale.
                _handOffOffered = true;
                if (_clock.GetUtcNow() - offer.Metadata.Timestamp > HandOffSnapshotMaxAge)
                    return;
            }
            _state.Restore((PartitionSnapshot)offer.Snapshot);
            _lastSnapshotSequenceNr = offer.Metadata.SequenceNr;
        });
        Recover<ICacheEvent>(evt =>
        {
            _state.Apply(evt);
            // Events replayed count towards the next snapshot as much as events written now.
            _snapshots.Journaled(ReplayedEventBytes);
        });
        Recover<RecoveryCompleted>(_ =>
        {
            // Entries whose time passed while the partition was down are not brought back.
            _state.RemoveExpired();
            Timers.StartPeriodicTimer("expire", ExpireTick.Instance, settings.ActiveExpiryInterval ?? TimeSpan.FromSeconds(1));
            // The hand-off snapshot is used once: gone before the partition serves, so a crash from here
            // on never brings its (by then stale) data back.
            if (_handOffOffered)
                DeleteSnapshots(new SnapshotSelectionCriteria(0));
            else
                ClaimOrServe();
        });

        Command<ClientRequest>(request =>
        {
            // Stopping: leave the request unanswered; the client's retry (same request id) reaches the
            // partition's next home. Not yet claimed: it waits until the partition serves.
            if (_stopping)
                return;
            if (!_claimed || _drainingForSnapshot)
                Stash.Stash();
            else
                Handle(request, Sender);
        });
        Command<TracedRequest>(traced =>
        {
            if (_stopping)
                return;
            if (!_claimed || _drainingForSnapshot)
                Stash.Stash();
            else
                Handle(traced.Request, Sender, traced.TraceParent);
        });
        Command<PartitionRequests>(group =>
        {
            if (_stopping)
                return;
            // Snapshots and claims change state only in callbacks, between messages: what holds for the
            // first request holds for the whole message.
            if (!_claimed || _drainingForSnapshot)
            {
                Stash.Stash();
                return;
            }
            // The replies ready now go back as one message too; one that waits (a journal write) goes alone.
            var replies = new GroupReplies(Sender, Context.System);
            foreach (var request in group.Requests)
            {
                Handle(request, replies);
                // Handle stashed this whole message to claim the partition again (the lease was taken anew):
                // the requests already handled come again after the claim, a write found by its request id.
                if (!_claimed)
                    break;
            }
            replies.Send();
        });
        Command<ClaimResult>(OnClaimResult);
        Command<RetryClaim>(_ => Claim());
        Command<StopPartition>(_ =>
        {
            _stopping = true;
            // Blocked callers stay unanswered, as every request does while stopping: their retries (same
            // request ids) wait at the partition's next home. Nothing was taken for them here.
            _blocked.RemoveAll();
            if (_partitionNumber >= 0)
                _local?.Stopping(_partitionNumber, Self);
            // The waiting burst goes to the journal now, so the deferral below comes after it too.
            if (!_burst.IsEmpty)
                JournalBurst();
            // Runs once every write already persisted (and every read waiting behind one) is done.
            DeferAsync(StopPartition.Instance, _ => FinishStopping());
        });
        // Active expiry, bounded per tick so a partition full of expiring keys stays responsive.
        Command<ExpireTick>(_ =>
        {
            _state.RemoveExpired(ActiveExpiryBatch);
            ReportStats();
            SnapshotIfDue(); // the interval may have passed with no write since
        });
        Command<WakeTick>(_ => EndWaits());
        Command<SaveSnapshotSuccess>(OnSnapshotSaved);
        Command<SaveSnapshotFailure>(failure =>
        {
            _snapshotInFlight = false;
            _log.Warning(failure.Cause, "Snapshot of {0} failed; the journal still holds every event", PersistenceId);
            if (_stopping)
                Context.Stop(Self);
        });
        Command<DeleteMessagesSuccess>(_ => DeleteFinished());
        Command<DeleteMessagesFailure>(failure =>
        {
            _log.Warning(failure.Cause, "Deleting events of {0} up to {1} failed; they will be deleted after the next snapshot", PersistenceId, failure.ToSequenceNr);
            DeleteFinished();
        });
        Command<DeleteSnapshotsSuccess>(_ =>
        {
            if (_handOffOffered && !_claimed)
                ClaimOrServe();
        });
        Command<DeleteSnapshotsFailure>(failure =>
        {
            _log.Warning(failure.Cause, "Deleting old snapshots of {0} failed", PersistenceId);
            if (_handOffOffered && !_claimed)
                throw new InvalidOperationException($"{PersistenceId}: could not remove the hand-off snapshot it recovered from", failure.Cause);
        });
    }

    public override string PersistenceId { get; }

    // A memory-only partition replays nothing; it reads only a hand-off snapshot (saved at sequence 0 by
    // the home it moved from), so a move keeps its data and a crash or a restart of the cluster does not.
    public override Recovery Recovery => _settings.Durability == DurabilityMode.None
        ? new Recovery(SnapshotSelectionCriteria.Latest, 0)
        : Recovery.Default;

    private static readonly TimeSpan HandOffSnapshotMaxAge = TimeSpan.FromSeconds(60);

    public ITimerScheduler Timers { get; set; } = null!;

    private const int ActiveExpiryBatch = 1000;

    /// <summary>Writes a partition acknowledges in mode batched before they are in the journal, at most.</summary>
    public const int MaxUnwrittenBatched = 100;

    protected override void PostStop()
    {
        // After the last answer: from here another node may claim the partition at once instead of
        // waiting for this node's lease to lapse. Also when a claim is still on its way: the release
        // queues behind it, so a claim that succeeds after the partition stopped is undone.
        if (_fence is not null && _claimAsked)
            _ = _fence.ReleaseAsync(PersistenceId);
        if (_partitionNumber >= 0)
            _local?.Stopping(_partitionNumber, Self);
        _recovery?.Stopped(_partitionId);
        _metrics?.Stopped(_partitionId);
        _log.Info("event=partition-stopped partition={0} keys={1} (moved to another node, or this node is leaving)", _partitionId, _state.Count);
        base.PostStop();
    }

    public static string PersistenceIdFor(string partitionId) => "partition-" + partitionId;

    public static Props Props(string partitionId, PartitionSettings settings, RecoveryTracker? recovery = null, TimeProvider? clock = null,
        NodeMetrics? metrics = null, PartitionFence? fence = null, LocalPartitions? local = null, KeyChanges? changes = null) =>
        Akka.Actor.Props.Create(() => new PartitionActor(partitionId, settings, recovery, clock, metrics, fence, local, changes));

    private void Serving()
    {
        _served = true;
        if (_partitionNumber >= 0)
            _local?.Serving(_partitionNumber, Self);
        if (_changes?.Active == true)
            _changes.Recovered(_partitionNumber);
        _log.Info("event=partition-recovered partition={0} keys={1} ms={2} sequence={3}",
            _partitionId, _state.Count, _recoveryClock.ElapsedMilliseconds, LastSequenceNr);
        _recovery?.Recovered(_partitionId, _state.Count);
        ReportStats();
    }

    private void ClaimOrServe()
    {
        if (_claimed)
        {
            Serving();
            Stash.UnstashAll();
        }
        else
        {
            Claim();
        }
    }

    private void Claim()
    {
        _claimAsked = true;
        _claimGeneration = _fence!.Generation;
        var self = Self;
        _fence.ClaimAsync(PersistenceId).ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? new ClaimResult(t.Result, null) : new ClaimResult(null, t.Exception?.GetBaseException())),
            TaskContinuationOptions.ExecuteSynchronously);
    }

    private void OnClaimResult(ClaimResult result)
    {
        if (_stopping || _claimed)
            return;
        if (result.Failure is not null || result.JournalHighest is null)
        {
            // Another node's incarnation may still serve: ask again until its lease lapses or it releases.
            if (result.Failure is not null)
                _log.Warning("event=claim-failed partition={0} reason={1}", _partitionId, result.Failure.Message);
            else if (++_claimRefusals % 40 == 1)
                _log.Info("event=claim-waiting partition={0}: another node's live incarnation has not released it yet", _partitionId);
            Timers.StartSingleTimer("claim", RetryClaim.Instance, result.Failure is null ? ClaimRetry : TimeSpan.FromSeconds(1));
            return;
        }
        _claimed = true;
        // A superseded incarnation committed events after recovery read the journal (they are fenced
        // from now on): read the journal again rather than serve without them.
        if (_settings.Durability != DurabilityMode.None && result.JournalHighest > LastSequenceNr)
            throw new PartitionFencedException($"{PersistenceId}: the journal holds events up to {result.JournalHighest} but recovery read {LastSequenceNr}; recovering again");
        if (!_served)
            Serving();
        Stash.UnstashAll();
    }

    private static readonly TimeSpan ClaimRetry = TimeSpan.FromMilliseconds(250);

    private sealed record ClaimResult(long? JournalHighest, Exception? Failure);

    private sealed class RetryClaim
    {
        public static readonly RetryClaim Instance = new();
    }

    private void ReportStats() => _metrics?.Report(_partitionId, _state.Count, _state.UsedBytes, _state.Evictions, _snapshots.EventsSince);

    private sealed class ExpireTick
    {
        public static readonly ExpireTick Instance = new();
    }

    private void Handle(ClientRequest request, IActorRef replyTo, string? traceParent = null)
    {
        if (_fence is not null)
        {
            if (!_fence.LeaseHolds)
            {
                // The node's lease has lapsed (a pause, or the store out of reach): another node may own
                // this partition now, so answering could show a stale value. The client retries.
                if (!_warnedLease)
                    _log.Warning("event=lease-lapsed partition={0}: not answering until the node's lease holds", _partitionId);
                _warnedLease = true;
                return;
            }
            if (_fence.Generation != _claimGeneration)
            {
                // The lease lapsed and was taken again: another node may have claimed this partition in
                // between. Claim again before answering anything.
                _claimed = false;
                Stash.Stash();
                Claim();
                return;
            }
        }
        // The caller has given up (or will have by the time this could be applied): leave it undone,
        // and unanswered.
        if (RequestDeadline.HasPassed(request.DeadlineUnixMs, _clock.GetUtcNow().ToUnixTimeMilliseconds(), _settings.MaxClockSkew))
            return;
        var started = Stopwatch.GetTimestamp();
        var span = NodeTelemetry.IsListening && traceParent is not null ? StartSpan(traceParent, request) : null;
        if (request.Command is StopWaiting stop)
        {
            var waiting = _blocked.TryStop(stop.BlockedRequest, out var blocked);
            if (waiting)
                blocked.ReplyTo.Tell(new ClientResponse(blocked.Request.CorrelationId, WaitEnded.Instance));
            Answer(replyTo, new ClientResponse(request.CorrelationId, new Existence(waiting)), nameof(StopWaiting), started, span);
            return;
        }
        if (request.Command is BlockingCall blocking)
        {
            if (_state.DecideBlocking(blocking, request.RequestId) is { } taken)
                Carry(request, taken, replyTo, started, span);
            else
            {
                // The span covers the decision to wait, not the wait: a wait may outlast any trace's interest.
                span?.SetTag("distcache.blocked", true);
                NodeTelemetry.Stop(span);
                Block(request, blocking, replyTo);
            }
            return;
        }
        Carry(request, _state.Decide(request.Command, request.RequestId), replyTo, started, span);
    }

    private Activity? StartSpan(string traceParent, ClientRequest request) =>
        NodeTelemetry.StartPartition(traceParent, request.Command.GetType().Name, _partitionNumber, SelfAddress);

    // A span attribute, looked up at the first traced request.
    private string SelfAddress => _nodeAddress ??= ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString();
    private string? _nodeAddress;

    private void Carry(ClientRequest request, Decision decision, IActorRef replyTo, long started, Activity? span = null)
    {
        var response = new ClientResponse(request.CorrelationId, decision.Reply);
        var operation = request.Command.GetType().Name;
        if (decision.Event is null)
        {
            // In mode always a read may have seen a write whose event is still on its way to the journal:
            // its answer waits behind that write, so nobody observes a value that a crash could take back.
            if (_unwrittenWrites > 0 && _settings.Durability == DurabilityMode.Always)
                AfterUnwrittenWrites(() => Answer(replyTo, response, operation, started, span));
            else
                Answer(replyTo, response, operation, started, span);
            return;
        }

        // Applied now, so the commands behind this one decide against it while its event is still being
        // written; the journal receives events in the same order, so recovery rebuilds the same state.
        // Redis's "new" event needs the keys missing before the write, looked for only while someone wants them.
        var created = _changes?.WantsCreatedKeys == true && !decision.Applied ? _state.Missing(decision.Event) : null;
        _state.Commit(decision, request.DeadlineUnixMs > 0 ? request.DeadlineUnixMs + (long)_settings.MaxClockSkew.TotalMilliseconds : 0);
        // Before the acknowledgement: whoever is told of the change hears of it no later than the writer.
        if (_changes?.Active == true)
            _changes.Written(_partitionNumber, request.Command, decision.Event, created);
        if (_blocked.Count > 0)
            WakeBlocked(decision.Event);
        switch (_settings.Durability)
        {
            case DurabilityMode.None:
                Answer(replyTo, response, operation, started, span);
                return;
            // The unwritten backlog is bounded: past it, a write waits for the journal as in mode always,
            // so the writes a crash can take back stay a bounded few and a leave drains them in time.
            case DurabilityMode.Batched when _unwrittenWrites < MaxUnwrittenBatched:
                Answer(replyTo, response, operation, started, span);
                Store(decision.Event, null, span);
                return;
            default:
                Store(decision.Event, () => Answer(replyTo, response, operation, started, span), span);
                return;
        }
    }

    // Waits until WaitMs has passed, and never past the request's deadline (less the clock skew allowed): once
    // the caller has given up, taking an element for it would lose that element.
    private void Block(ClientRequest request, BlockingCall blocking, IActorRef replyTo)
    {
        var now = NowMs();
        var lastUseful = request.DeadlineUnixMs > 0 ? request.DeadlineUnixMs - (long)_settings.MaxClockSkew.TotalMilliseconds : long.MaxValue;
        var wakeAt = Math.Min(blocking.WaitMs > 0 ? now + blocking.WaitMs : long.MaxValue, lastUseful);
        if (wakeAt == long.MaxValue)
            wakeAt = now + MaxUnboundedWaitMs;
        _blocked.Park(request.RequestId, (request, replyTo), blocking.Keys, wakeAt);
        ScheduleWake();
    }

    // A call with neither a wait nor a deadline (only a test sends one) still ends.
    private const long MaxUnboundedWaitMs = 300_000;

    // After a write: the callers blocked on the keys it changed try again, first come first, until one
    // finds nothing (the others behind it on that key would find nothing either).
    private void WakeBlocked(PartitionChanged write)
    {
        foreach (var key in ChangedKeys(write))
        {
            foreach (var (requestId, call) in _blocked.WaitingOn(key))
            {
                if (!_blocked.IsWaiting(requestId, call))
                    continue; // served meanwhile, by a write this loop's own serving made
                var blocking = (BlockingCall)call.Request.Command;
                if (_state.DecideBlocking(blocking, requestId) is not { } taken)
                    break;
                _blocked.Remove(requestId, call);
                Carry(call.Request, taken, call.ReplyTo, Stopwatch.GetTimestamp());
            }
        }
    }

    private static IEnumerable<CacheKey> ChangedKeys(PartitionChanged write) =>
        write.Changes.Select(c => c.ChangedKey).Where(k => k is not null).Select(k => k!.Value).Distinct();

    private void EndWaits()
    {
        foreach (var (request, replyTo) in _blocked.Due(NowMs()))
            replyTo.Tell(new ClientResponse(request.CorrelationId, WaitEnded.Instance));
        ScheduleWake();
    }

    private void ScheduleWake()
    {
        if (_blocked.NextWakeAt is { } at)
            Timers.StartSingleTimer("blocked", WakeTick.Instance, TimeSpan.FromMilliseconds(Math.Max(0, at - NowMs())));
        else
            Timers.Cancel("blocked");
    }

    private sealed class WakeTick
    {
        public static readonly WakeTick Instance = new();
    }

    private void Answer(IActorRef replyTo, ClientResponse response, string operation, long started, Activity? span = null)
    {
        replyTo.Tell(response);
        _metrics?.Operation(operation, started);
        NodeTelemetry.Stop(span);
    }

    // One journal write in flight at a time: a write that finds the journal idle goes at once, alone; the
    // writes that arrive meanwhile wait in the burst and go as one event (one row) when it completes.
    // PersistAsync keeps taking commands meanwhile, and Akka.Persistence.Sql writes the events of many
    // partitions in one transaction: group commit across partitions, and within one by the burst.
    private void Store(PartitionChanged write, Action? whenStored, Activity? span = null)
    {
        _unwrittenWrites++;
        _burst.Add(write, whenStored, span?.Context ?? default);
        // A full burst does not wait: Akka.Persistence sends it right behind the write in flight.
        if (_eventsInFlight == 0 || _burst.IsFull)
            JournalBurst();
    }

    private void JournalBurst()
    {
        var burst = _burst.Close();
        _eventsInFlight++;
        var writeStarted = Stopwatch.GetTimestamp();
        // Only a burst that carries a traced write has a span: the journal's cost shows in the traces that paid it.
        var span = NodeTelemetry.IsListening && burst.Traces is { } traces
            ? NodeTelemetry.StartJournal(traces[0], traces.Length > 1 ? traces.Skip(1).Select(t => new ActivityLink(t)).ToArray() : null,
                burst.Writes, _partitionNumber, SelfAddress)
            : null;
        PersistAsync(burst.Event, _ =>
        {
            _eventsInFlight--;
            _unwrittenWrites -= burst.Writes;
            _snapshots.Journaled(burst.Bytes);
            _metrics?.JournalWrite(writeStarted, burst.Writes);
            NodeTelemetry.Stop(span);
            foreach (var whenStored in burst.WhenStored)
                whenStored();
            if (_eventsInFlight == 0 && !_burst.IsEmpty)
                JournalBurst();
            SnapshotIfDue();
        });
    }

    // A read that saw unwritten writes is answered after them: after the waiting burst when there is one,
    // else after the journal writes in flight (DeferAsync runs behind everything persisted so far).
    private void AfterUnwrittenWrites(Action answer)
    {
        if (!_burst.IsEmpty)
            _burst.WhenStored(answer);
        else
            DeferAsync(answer, a => a());
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
        if (_snapshotInFlight || _stopping || _settings.Durability == DurabilityMode.None || !_snapshots.IsDue(_state.UsedBytes, NowMs()))
            return;
        if (_unwrittenWrites > 0)
        {
            // Under steady writes the journal is never idle: hold new requests for the moment the unwritten
            // ones take to be written (one journal write), rather than let the journal grow without end.
            // A snapshot of a state holding unwritten events would apply them twice on recovery, or keep
            // one whose journal write then failed.
            _drainingForSnapshot = true;
            return;
        }
        _snapshotInFlight = true;
        _snapshots.Taken(NowMs());
        SaveSnapshot(_state.ToSnapshot());
        if (_drainingForSnapshot)
        {
            _drainingForSnapshot = false;
            Stash.UnstashAll();
        }
    }

    // The size of a replayed event is not at hand; a small write's is about this.
    private const long ReplayedEventBytes = 64;

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    // A partition that stops (its shard moves, or the node leaves) first snapshots what the journal holds
    // beyond its last snapshot, so its next start, here or on another node, reads one snapshot instead of
    // replaying up to snapshot-every events.
    private void FinishStopping()
    {
        var done = _settings.Durability == DurabilityMode.None
            ? _handOffSaved || _state.Count == 0 || !AnotherNodeIsUp()
            : LastSequenceNr == _lastSnapshotSequenceNr;
        if (done)
        {
            Context.Stop(Self);
            return;
        }
        if (_snapshotInFlight)
            return; // OnSnapshotSaved comes back here.
        _snapshotInFlight = true;
        SaveSnapshot(_state.ToSnapshot());
    }

    // A memory-only partition hands its data over only when there is a node to take it: when the whole
    // cluster stops, it is forgotten, as a restarted memory-only cache should be.
    private bool AnotherNodeIsUp()
    {
        if (((ExtendedActorSystem)Context.System).Provider is not Akka.Cluster.IClusterActorRefProvider)
            return false;
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        return cluster.State.Members.Any(m => m.Status == Akka.Cluster.MemberStatus.Up && m.UniqueAddress != cluster.SelfUniqueAddress);
    }

    private void DeleteCoveredEvents(long toSequenceNr)
    {
        if (_deleteInFlight)
        {
            _deleteNextTo = Math.Max(_deleteNextTo, toSequenceNr);
            return;
        }
        _deleteInFlight = true;
        DeleteMessages(toSequenceNr);
    }

    private void DeleteFinished()
    {
        _deleteInFlight = false;
        if (_deleteNextTo == 0)
            return;
        var next = _deleteNextTo;
        _deleteNextTo = 0;
        DeleteCoveredEvents(next);
    }

    private void OnSnapshotSaved(SaveSnapshotSuccess success)
    {
        _snapshotInFlight = false;
        _handOffSaved = _stopping;
        var sequenceNr = success.Metadata.SequenceNr;
        _lastSnapshotSequenceNr = sequenceNr;
        DeleteCoveredEvents(sequenceNr);
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
