using System.Threading.Channels;

namespace DistCache.Actors.Fencing;

/// <summary>What a partition asks of fencing: may it serve (its node's lease holds), a claim before it
/// serves, and a release when it stops. Claims and releases of one node run in the order asked, so a
/// partition that stops and starts again on this node never has its new claim undone by its old
/// release; those waiting together go to the store in one transaction.</summary>
public sealed class PartitionFence
{
    private const int MaxPerTransaction = 512;
    private readonly FenceStore _store;
    private readonly NodeLease _lease;
    private readonly Channel<(OwnerChange Change, TaskCompletionSource<long?> Done)> _queue =
        Channel.CreateUnbounded<(OwnerChange, TaskCompletionSource<long?>)>(new UnboundedChannelOptions { SingleReader = true });

    public PartitionFence(FenceStore store, NodeLease lease)
    {
        _store = store;
        _lease = lease;
        _ = Task.Run(RunAsync);
    }

    /// <summary>Whether the node's lease holds now (else a partition must not answer).</summary>
    public bool LeaseHolds => _lease.IsValid;

    /// <summary>The lease's generation now: a claim made under an older one must be made again.</summary>
    public int Generation => _lease.Generation;

    /// <summary>The journal's highest sequence number for the partition once it is claimed, or null when
    /// another node's live incarnation still owns it (ask again later). Read <see cref="Generation"/>
    /// before asking: the claim holds for that generation.</summary>
    public Task<long?> ClaimAsync(string persistenceId) => Enqueue(new OwnerChange(persistenceId, Claim: true));

    public Task ReleaseAsync(string persistenceId) => Enqueue(new OwnerChange(persistenceId, Claim: false));

    private Task<long?> Enqueue(OwnerChange change)
    {
        var done = new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite((change, done));
        return done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<(OwnerChange Change, TaskCompletionSource<long?> Done)>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxPerTransaction && _queue.Reader.TryRead(out var item))
                batch.Add(item);
            try
            {
                var results = await _store.ApplyAsync(batch.Select(b => b.Change).ToArray(), _lease.Writer);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception ex)
            {
                foreach (var (_, done) in batch)
                    done.TrySetException(ex);
            }
        }
    }
}
