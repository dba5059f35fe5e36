using Akka.Actor;
using Akka.Persistence;
using DistCache.Actors.Partitions;

namespace DistCache.Actors.Repartition;

/// <summary>Opens one stored partition without serving it: recovers its snapshot and events with the same
/// code a partition recovers with (<see cref="PartitionState"/>), tells its parent what it holds, and can
/// replace what it holds. Replacing saves a snapshot at the last sequence number first, so from that moment
/// recovery reads the new contents whatever happens to the deletes after it (the snapshot store upserts, so
/// doing it again after a crash is harmless).</summary>
public sealed class StoredPartitionActor : ReceivePersistentActor
{
    private readonly PartitionState _state = new(PartitionLimits.Default);
    private readonly TaskCompletionSource<StoredPartitionRecovered> _recovered;
    private IActorRef? _installer;

    public StoredPartitionActor(string persistenceId, TaskCompletionSource<StoredPartitionRecovered> recovered)
    {
        PersistenceId = persistenceId;
        _recovered = recovered;
        Recover<SnapshotOffer>(offer => _state.Restore((PartitionSnapshot)offer.Snapshot));
        Recover<ICacheEvent>(evt => _state.Apply(evt));
        Recover<RecoveryCompleted>(_ => _recovered.TrySetResult(new StoredPartitionRecovered(_state.ToSnapshot(), LastSequenceNr)));

        Command<InstallContents>(install =>
        {
            _installer = Sender;
            SaveSnapshot(install.Contents);
        });
        Command<SaveSnapshotSuccess>(saved =>
        {
            if (saved.Metadata.SequenceNr > 0)
                DeleteMessages(saved.Metadata.SequenceNr);
            else
                DeleteOlderSnapshots();
        });
        Command<SaveSnapshotFailure>(failed => Done(failed.Cause));
        Command<DeleteMessagesSuccess>(_ => DeleteOlderSnapshots());
        Command<DeleteMessagesFailure>(failed => Done(failed.Cause));
        Command<DeleteSnapshotsSuccess>(_ => Done(null));
        Command<DeleteSnapshotsFailure>(failed => Done(failed.Cause));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, TaskCompletionSource<StoredPartitionRecovered> recovered) =>
        Akka.Actor.Props.Create(() => new StoredPartitionActor(persistenceId, recovered));

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _recovered.TrySetException(new InvalidOperationException($"{PersistenceId} could not be read: {reason.Message}", reason));
        base.OnRecoveryFailure(reason, message);
    }

    private void DeleteOlderSnapshots()
    {
        if (LastSequenceNr > 0)
            DeleteSnapshots(new SnapshotSelectionCriteria(LastSequenceNr - 1));
        else
            Done(null);
    }

    private void Done(Exception? failure)
    {
        _installer?.Tell(new ContentsInstalled(PersistenceId, failure));
        Context.Stop(Self);
    }
}
