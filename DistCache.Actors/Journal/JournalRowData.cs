namespace DistCache.Actors.Journal;

/// <summary>One journal row exactly as Akka.Persistence.Sql's default SQLite mapping stores it (the
/// columns the stock plugin reads back on recovery): <c>deleted</c> is 0 and <c>ordering</c> is the table's
/// own, so neither is carried.</summary>
public sealed record JournalRowData(
    string PersistenceId,
    long SequenceNr,
    long CreatedTicks,
    byte[] Message,
    string Manifest,
    int SerializerId);

/// <summary>One <c>WriteMessagesAsync</c> call's rows (one persistent actor's), completed together: they
/// commit in one transaction or fail together.</summary>
public sealed class PendingWrite(string persistenceId, IReadOnlyList<JournalRowData> rows)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string PersistenceId { get; } = persistenceId;

    public IReadOnlyList<JournalRowData> Rows { get; } = rows;

    public Task Completion => _done.Task;

    public void Succeed() => _done.TrySetResult();

    public void Fail(Exception cause) => _done.TrySetException(cause);
}
