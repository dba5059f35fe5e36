using System.Collections.Concurrent;

namespace DistCache.Actors.Partitions;

/// <summary>Counts the partitions that finished recovering on this node and the keys they hold, so the
/// host can say when it is warm (and, later, report readiness). Thread-safe: every partition actor
/// reports into the one instance of its node.</summary>
public sealed class RecoveryTracker
{
    private readonly int _partitions;
    private readonly ConcurrentDictionary<string, int> _recovered = new();
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _keys;

    public RecoveryTracker(int partitions) => _partitions = partitions;

    /// <summary>Partitions recovered and running on this node now.</summary>
    public int RecoveredPartitions => _recovered.Count;

    public long RecoveredKeys => Interlocked.Read(ref _keys);

    /// <summary>Completes once every partition of the cluster has recovered on this node (a single-node cluster).</summary>
    public Task WhenAllRecovered => _all.Task;

    public bool IsRecovered(string partitionId) => _recovered.ContainsKey(partitionId);

    /// <summary>The partition stopped here (it moved away or the node is leaving).</summary>
    public void Stopped(string partitionId)
    {
        if (_recovered.TryRemove(partitionId, out var keys))
            Interlocked.Add(ref _keys, -keys);
    }

    public void Recovered(string partitionId, int keys)
    {
        if (!_recovered.TryAdd(partitionId, keys))
            return;
        Interlocked.Add(ref _keys, keys);
        if (_recovered.Count >= _partitions)
            _all.TrySetResult();
    }
}
