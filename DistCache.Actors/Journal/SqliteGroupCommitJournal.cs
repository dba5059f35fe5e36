using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Journal;
using Akka.Serialization;
using Akka.Util;
using Config = Akka.Configuration.Config;

namespace DistCache.Actors.Journal;

/// <summary>The SQLite data journal: Akka.Persistence.Sql's journal with its write path replaced by
/// <see cref="GroupCommitWriter"/> and its reads for recovery (the replay and the highest sequence number)
/// by <see cref="SqliteReplay"/>. Deletes, the schema and the snapshot store stay the plugin's, and the rows written are
/// the plugin's own (same columns, serializer id, manifest, creation ticks, writer id), so the stock plugin
/// recovers them. PostgreSQL keeps the stock journal.</summary>
public sealed class SqliteGroupCommitJournal : SqlWriteJournal
{
    private readonly GroupCommitWriter _writer;
    private readonly SqliteReplay _replay;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly string? _defaultSerializer;
    private readonly string _writerUuid = Guid.NewGuid().ToString("N");
    // The newest write of each persistence id not yet finished, so a read of the highest sequence number
    // waits for it (the plugin does the same with its own, private, map).
    private readonly ConcurrentDictionary<string, Task> _inFlight = new();

    public SqliteGroupCommitJournal(Config journalConfig) : base(journalConfig)
    {
        var config = journalConfig.WithFallback(SqlPersistence.DefaultJournalConfiguration);
        _serialization = Context.System.Serialization;
        _defaultSerializer = config.GetString("serializer", null);
        var metrics = Context.System.Settings.Setup.Get<JournalMetricsSetup>();
        _writer = new GroupCommitWriter(config.GetString("connection-string"), _writerUuid,
            metrics.HasValue ? metrics.Value.Metrics : null).Start();
        _replay = new SqliteReplay(config.GetString("connection-string"), _serialization, _defaultSerializer);
    }

    protected override void PostStop()
    {
        _writer.Dispose();
        base.PostStop();
    }

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var created = DateTime.UtcNow.Ticks;
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        var rows = new List<JournalRowData>();
        Exception?[]? rejected = null;
        for (var i = 0; i < writes.Count; i++)
        {
            var before = rows.Count;
            try
            {
                foreach (var representation in (IImmutableList<IPersistentRepresentation>)writes[i].Payload)
                    rows.Add(Row(representation, created));
            }
            catch (Exception ex)
            {
                // Akka.Persistence reports a rejected write to its actor and keeps the others.
                rows.RemoveRange(before, rows.Count - before);
                (rejected ??= new Exception?[writes.Count])[i] = ex;
            }
        }
        if (rows.Count == 0)
            return Task.FromResult(Rejections(rejected));

        var persistenceId = writes[0].PersistenceId;
        var written = _writer.Enqueue(new PendingWrite(persistenceId, rows));
        _inFlight[persistenceId] = written;
        written.ContinueWith(t => _inFlight.TryRemove(new KeyValuePair<string, Task>(persistenceId, t)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Written(written, rejected);
    }

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (_inFlight.TryGetValue(persistenceId, out var write))
            // Succeeded or failed, it has finished: what it wrote (if anything) is in the table.
            await write.ContinueWith(static _ => { }, TaskScheduler.Default);
        return await Task.Run(() => _replay.HighestSequenceNr(persistenceId, fromSequenceNr), cancellationToken);
    }

    // On the pool: Akka calls this from the journal actor when the highest sequence number was read at once,
    // and the partitions' replays should not queue behind one another there.
    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback) =>
        Task.Run(() => _replay.Replay(persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback));

    private static async Task<IImmutableList<Exception>> Written(Task written, Exception?[]? rejected)
    {
        await written;
        return Rejections(rejected);
    }

    private static IImmutableList<Exception> Rejections(Exception?[]? rejected) =>
        rejected is null ? null! : rejected.Select(e => e!).ToImmutableList();

    // As Akka.Persistence.Sql's ByteArrayJournalSerializer builds a row (default table mapping, no tags).
    private JournalRowData Row(IPersistentRepresentation representation, long created)
    {
        var payload = representation.Payload;
        if (payload is Tagged tagged)
        {
            if (tagged.Tags.Count > 0)
                throw new NotSupportedException("The SQLite journal of DistCache does not store tags.");
            payload = tagged.Payload;
        }
        var serializer = _serialization.FindSerializerForType(payload.GetType(), _defaultSerializer);
        // WithTransport lets a payload carrying actor references serialize them with this system's address.
        var message = Akka.Serialization.Serialization.WithTransport(_serialization.System, (serializer, payload),
            static state => state.serializer.ToBinary(state.payload));
        var manifest = serializer switch
        {
            SerializerWithStringManifest withManifest => withManifest.Manifest(payload),
            { IncludeManifest: true } => payload.GetType().TypeQualifiedName(),
            _ => string.Empty,
        };
        return new JournalRowData(representation.PersistenceId, representation.SequenceNr,
            representation.Timestamp == 0 ? created : representation.Timestamp, message, manifest, serializer.Identifier);
    }
}
