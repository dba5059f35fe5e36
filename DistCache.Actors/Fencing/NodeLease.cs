using System.Diagnostics;

namespace DistCache.Actors.Fencing;

/// <summary>This node's lease in the shared store. The node's partitions serve only while it is valid
/// on the local monotonic clock; the local deadline is measured from before each renewal was sent, so it
/// always ends before the store's expiry, after which another node may claim the partitions. A lease
/// that lapsed (the process was paused, or the store unreachable or locked for a whole lease) is taken
/// again under a new <see cref="Generation"/>: a partition claimed under an older generation claims
/// itself again before it serves, and stops if another node took it meanwhile.</summary>
public sealed class NodeLease : IAsyncDisposable
{
    private readonly FenceStore _store;
    private readonly TimeSpan _duration;
    private readonly TimeSpan _renewEvery;
    private readonly Action<string> _lapsed;
    private readonly CancellationTokenSource _stop = new();
    private long _validUntil;
    private int _generation;
    private volatile bool _up;
    private string _address = "";
    private Thread? _renewals;

    public NodeLease(FenceStore store, string writer, TimeSpan duration, Action<string> lapsed)
    {
        _store = store;
        Writer = writer;
        _duration = duration;
        _renewEvery = duration / 4;
        _lapsed = lapsed;
    }

    /// <summary>This node's journal writer id: the identity partitions are claimed for.</summary>
    public string Writer { get; }

    public bool IsValid => Stopwatch.GetTimestamp() < Volatile.Read(ref _validUntil);

    /// <summary>Which taking of the lease holds now; read after <see cref="IsValid"/>, it is the one that
    /// made it valid.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Takes the lease and starts renewing it on a thread of its own.</summary>
    public async Task AcquireAsync(string address)
    {
        _address = address;
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
            try
            {
                if (_store.RenewLeaseAsync(Writer, _duration, _up).GetAwaiter().GetResult())
                {
                    Extend(sent);
                    continue;
                }
                // Lapsed: another node may have claimed some of this node's partitions meanwhile. Take the
                // lease again under a new generation, so every partition checks its claim before serving.
                Volatile.Write(ref _validUntil, 0);
                _lapsed("the lease had lapsed (the process was paused, or the store unreachable or locked for longer than the lease); " +
                        "taken again, partitions claim themselves again before they serve");
                _store.RetakeLeaseAsync(Writer, _address, _duration, _up).GetAwaiter().GetResult();
                Interlocked.Increment(ref _generation);
                Extend(sent);
            }
            catch (Exception)
            {
                // Retried at the next beat; partitions stop answering once the lease runs out meanwhile.
            }
        }
    }

    private void Extend(long sent)
    {
        // A tenth of the lease is kept in hand for the two clocks' rates drifting apart.
        var ticks = (long)(_duration.TotalSeconds * 0.9 * Stopwatch.Frequency);
        Volatile.Write(ref _validUntil, sent + ticks);
    }

    /// <summary>Stops serving and gives the lease up, so this node's unreleased partitions can be claimed
    /// at once (a graceful stop).</summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _validUntil, 0);
        await _stop.CancelAsync();
        if (_renewals is not null && _renewals != Thread.CurrentThread)
            _renewals.Join();
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
