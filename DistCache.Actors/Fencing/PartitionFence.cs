using System.Threading.Channels;

namespace DistCache.Actors.Fencing;

/// <summary>What a partition asks of fencing: may it serve (its node's lease holds), a claim before it
/// serves, and a release when it stops. Claims and releases of one node run one at a time in the order
/// asked, so a partition that stops and starts again on this node never has its new claim undone by its
/// old release.</summary>
public sealed class PartitionFence
{
    private readonly FenceStore _store;
    private readonly NodeLease _lease;
    private readonly Channel<Func<Task>> _queue = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });

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
    public Task<long?> ClaimAsync(string persistenceId) =>
        Enqueue(() => _store.ClaimAsync(persistenceId, _lease.Writer));

    public Task ReleaseAsync(string persistenceId) =>
        Enqueue(async () =>
        {
            await _store.ReleaseAsync(persistenceId, _lease.Writer);
            return true;
        });

    private Task<T> Enqueue<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite(async () =>
        {
            try
            {
                done.TrySetResult(await work());
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        return done.Task;
    }

    private async Task RunAsync()
    {
        await foreach (var work in _queue.Reader.ReadAllAsync())
            await work();
    }
}
