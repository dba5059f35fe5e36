using System.Diagnostics;

namespace DistCache.Actors.Fencing;

/// <summary>This node's lease in the shared store. The node's partitions serve only while it is valid
/// on the local monotonic clock; the local deadline is measured from before each renewal was sent, so it
/// always ends before the store's expiry, after which another node may claim the partitions. A lease
/// that lapsed (the process was paused, or the store unreachable for a whole lease) is never renewed:
/// the node must stop, because its partitions may already be served elsewhere.</summary>
public sealed class NodeLease : IAsyncDisposable
{
    private readonly FenceStore _store;
    private readonly TimeSpan _duration;
    private readonly TimeSpan _renewEvery;
    private readonly Action<string> _lost;
    private readonly CancellationTokenSource _stop = new();
    private long _validUntil;
    private volatile bool _up;
    private Thread? _renewals;

    public NodeLease(FenceStore store, string writer, TimeSpan duration, Action<string> lost)
    {
        _store = store;
        Writer = writer;
        _duration = duration;
        _renewEvery = duration / 4;
        _lost = lost;
    }

    /// <summary>This node's journal writer id: the identity partitions are claimed for.</summary>
    public string Writer { get; }

    public bool IsValid => Stopwatch.GetTimestamp() < Volatile.Read(ref _validUntil);

    /// <summary>Takes the lease and starts renewing it on a thread of its own.</summary>
    public async Task AcquireAsync(string address)
    {
        var sent = Stopwatch.GetTimestamp();
        await _store.InsertLeaseAsync(Writer, address, _duration);
        Extend(sent);
        // A thread of its own, blocking on the store: a busy thread pool (actors, the journal) must not
        // delay the renewal that keeps the whole node serving.
        _renewals = new Thread(RenewLoop) { IsBackground = true, Name = "distcache-lease" };
        _renewals.Start();
    }

    /// <summary>The node became an Up member: recorded with the next renewal, so joiners join it.</summary>
    public void MarkUp() => _up = true;

    private void RenewLoop()
    {
        while (!_stop.Token.WaitHandle.WaitOne(_renewEvery))
        {
            var sent = Stopwatch.GetTimestamp();
            bool renewed;
            try
            {
                renewed = _store.RenewLeaseAsync(Writer, _duration, _up).GetAwaiter().GetResult();
            }
            catch (Exception) when (IsValid)
            {
                continue; // a failed renewal is retried while the lease still holds
            }
            catch (Exception ex)
            {
                Lose($"the lease could not be renewed before it lapsed ({ex.Message})");
                return;
            }
            if (!renewed)
            {
                Lose("the lease had lapsed when this node renewed it (the process was paused or the store unreachable for longer than the lease)");
                return;
            }
            Extend(sent);
        }
    }

    private void Extend(long sent)
    {
        // A tenth of the lease is kept in hand for the two clocks' rates drifting apart.
        var ticks = (long)(_duration.TotalSeconds * 0.9 * Stopwatch.Frequency);
        Volatile.Write(ref _validUntil, sent + ticks);
    }

    private void Lose(string reason)
    {
        Volatile.Write(ref _validUntil, 0);
        _lost(reason);
    }

    /// <summary>Stops serving and gives the lease up, so this node's unreleased partitions can be claimed
    /// at once (a graceful stop).</summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _validUntil, 0);
        await _stop.CancelAsync();
        _renewals?.Join();
        try
        {
            await _store.DropLeaseAsync(Writer);
        }
        catch (Exception)
        {
            // It lapses by itself within one lease.
        }
    }
}
