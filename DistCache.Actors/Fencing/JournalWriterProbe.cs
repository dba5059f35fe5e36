using Akka.Actor;
using Akka.Persistence;

namespace DistCache.Actors.Fencing;

/// <summary>Writes one row through the data journal, so the node can read back the writer id its
/// journal stamps on every row (Akka.Persistence.Sql makes one per journal, and keeps it to itself). The
/// row is removed again by <see cref="FenceStore.ReadProbeWriterAsync"/>.</summary>
public sealed class JournalWriterProbe : ReceivePersistentActor
{
    public JournalWriterProbe(string persistenceId)
    {
        PersistenceId = persistenceId;
        Command<Write>(_ =>
        {
            var replyTo = Sender;
            Persist(new byte[] { 1 }, _ =>
            {
                replyTo.Tell(Written.Instance);
                Context.Stop(Self);
            });
        });
    }

    public override string PersistenceId { get; }

    // Nothing to read back: the id is fresh.
    public override Recovery Recovery => Recovery.None;

    public sealed class Write
    {
        public static readonly Write Instance = new();
    }

    public sealed class Written
    {
        public static readonly Written Instance = new();
    }
}
