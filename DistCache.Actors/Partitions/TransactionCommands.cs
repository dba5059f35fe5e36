using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Actors.Partitions;

/// <summary>MULTI/EXEC in one partition (see <see cref="Transaction"/>). Each command decides against the state
/// the previous one left, so the transaction applies each command's changes as it goes: its decision comes back
/// <see cref="Decision.Applied"/>, one event holding every change in order and the transaction's reply, which
/// recovery replays as any other write (the same state, and a retried EXEC answered from the request window).
/// A refused command changes nothing and the others still apply, as in Redis; there is no rollback.</summary>
public sealed class TransactionCommands
{
    private readonly EntryTable _table;
    private readonly Func<IClientCommand, Decision> _decide;
    private readonly Action<PartitionChanged> _apply;

    /// <param name="decide">How the partition decides one command (without a request id: only the
    /// transaction's is remembered).</param>
    /// <param name="apply">How it applies one command's event to its entries.</param>
    public TransactionCommands(EntryTable table, Func<IClientCommand, Decision> decide, Action<PartitionChanged> apply)
    {
        _table = table;
        _decide = decide;
        _apply = apply;
    }

    public Decision Execute(Transaction transaction, Guid requestId)
    {
        foreach (var watch in transaction.Watches)
        {
            if (Changed(watch))
                return Decision.Read(TransactionResult.Aborted);
        }
        var replies = new ICacheReply[transaction.Commands.Length];
        var changes = new List<EntryChange>();
        var ends = new int[replies.Length];
        for (var i = 0; i < replies.Length; i++)
        {
            var decision = _decide(transaction.Commands[i]);
            replies[i] = decision.Reply;
            if (decision.Event is { } write)
            {
                _apply(write with { RequestId = Guid.Empty, Reply = null });
                changes.AddRange(write.Changes);
            }
            ends[i] = changes.Count;
        }
        var result = new TransactionResult(replies);
        // Reads only (and no expiry slid): nothing to journal, and a retry reads again.
        return changes.Count == 0
            ? Decision.Read(result)
            : new Decision(new PartitionChanged(requestId, result, changes.ToArray()) { CommandEnds = ends }, result, Applied: true);
    }

    /// <summary>WATCH: the versions of the keys now; for a missing key minus the partition's next version, from
    /// when the partition notes which keys it removes (a key created and removed again since counts as changed).</summary>
    public Decision Versions(KeyVersions versions) =>
        Decision.Read(new KeyVersionList(versions.Keys.Select(WatchVersion).ToArray()));

    private long WatchVersion(CacheKey key)
    {
        if (_table.Live(key) is { } entry)
            return entry.Version;
        _table.Removed.Watching(_table.NextVersion, _table.Now);
        return -_table.NextVersion;
    }

    // A key changed by any write or change of its time to live since has another version, and one that expired,
    // was deleted or evicted has none. A key missing at WATCH (negative: the stamp then) changed when it exists
    // now or was removed since (created and removed again, as Redis counts it). 0: missing, from a caller that
    // has no stamp (the .NET client's WhenUnchanged with version 0): changed only when it exists now.
    private bool Changed(WatchedKey watch)
    {
        var live = _table.Live(watch.Key);
        return watch.Version switch
        {
            > 0 => live?.Version != watch.Version,
            0 => live is not null,
            _ => live is not null || _table.Removed.RemovedSince(watch.Key.GetHashCode(), -watch.Version, _table.NextVersion),
        };
    }

    /// <summary>Where a transaction enters the cluster: every command one that a partition can run in one, each
    /// valid alone, and all keys (watched or used) in one slot, as Redis Cluster requires of EXEC.</summary>
    public static Rejected? Check(Transaction transaction, PartitionLimits limits, int partitions)
    {
        if (transaction.Commands is null || transaction.Watches is null || transaction.Watches.Any(w => w is null))
            return CommandValidator.Missing();
        foreach (var command in transaction.Commands)
        {
            if (!CanRunInside(command))
                return new Rejected(CacheErrorCode.NotInTransaction);
            if (CommandValidator.Validate(command, limits, partitions) is { } bad)
                return bad;
        }
        if (transaction.Key.IsNull)
            return CommandValidator.Missing();
        return MultiKeyCommands.Check(transaction, limits, partitions);
    }

    /// <summary>A command a transaction can hold: one that names its keys and runs in their partition at once.</summary>
    public static bool CanRunInside(IClientCommand? command) => command switch
    {
        null or Transaction or BlockingCall or StopWaiting or KeyVersions => false,
        ICacheCommand => Transaction.KeysOf(command).Any(),
        MultiGetPart or MultiSetPart => Transaction.KeysOf(command).Any(),
        _ => false,
    };

    /// <summary>The slot of a transaction's keys, or null when they are in more than one (or it has none).</summary>
    public static int? SlotOf(IEnumerable<CacheKey> keys)
    {
        int? slot = null;
        foreach (var key in keys)
        {
            var s = KeySlot.Of(key);
            if (slot is { } first && first != s)
                return null;
            slot = s;
        }
        return slot;
    }
}
