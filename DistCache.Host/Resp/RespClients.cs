using System.Collections.Concurrent;

namespace DistCache.Host.Resp;

/// <summary>The endpoint's live connections (for CLIENT LIST/KILL and INFO's connected_clients) and the
/// counters INFO's stats section reports since start or the last CONFIG RESETSTAT.</summary>
public sealed class RespClients
{
    private readonly ConcurrentDictionary<long, RespClient> _live = new();
    private readonly RespOpsRate _rate = new();
    private readonly Lock _lock = new();
    private long _received;
    private long _rejected;
    private long _abandoned;
    private long _departedCommands;
    private long _blockedNow;
    private long _commandsAtReset;

    public int Count => _live.Count;

    public long ConnectionsReceived => Interlocked.Read(ref _received);

    public long RejectedConnections => Interlocked.Read(ref _rejected);

    /// <summary>Commands of many steps (KEYS) stopped between steps because their client had left.</summary>
    public long AbandonedCommands => Interlocked.Read(ref _abandoned);

    /// <summary>Connections waiting in a blocking command (BLPOP and kin) now: INFO's blocked_clients.</summary>
    public long BlockedClients => Interlocked.Read(ref _blockedNow);

    public void Blocking(bool starts)
    {
        if (starts)
            Interlocked.Increment(ref _blockedNow);
        else
            Interlocked.Decrement(ref _blockedNow);
    }

    /// <summary>Commands of the connections that left plus those of the live ones, since the last reset.</summary>
    public long CommandsProcessed
    {
        get
        {
            lock (_lock)
                return AllCommands() - _commandsAtReset;
        }
    }

    /// <summary>Connections in id order (the order they connected, as Redis lists them).</summary>
    public IEnumerable<RespClient> All => _live.Values.OrderBy(c => c.Id);

    public RespClient? Find(long id) => _live.GetValueOrDefault(id);

    public void Add(RespClient client)
    {
        _live[client.Id] = client;
        Interlocked.Increment(ref _received);
    }

    public void Remove(long id)
    {
        lock (_lock)
        {
            if (_live.TryRemove(id, out var client))
                _departedCommands += client.Commands;
        }
    }

    /// <summary>A connection refused at maxclients (not in total_connections_received, as in Redis).</summary>
    public void Rejected() => Interlocked.Increment(ref _rejected);

    public void Abandoned() => Interlocked.Increment(ref _abandoned);

    public double OpsPerSecond(long nowMs) => _rate.Sample(CommandsProcessed, nowMs);

    /// <summary>CONFIG RESETSTAT: the counters start again from zero.</summary>
    public void ResetStats()
    {
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _rejected, 0);
        Interlocked.Exchange(ref _abandoned, 0);
        lock (_lock)
            _commandsAtReset = AllCommands();
        _rate.Reset();
    }

    private long AllCommands()
    {
        var total = _departedCommands;
        foreach (var client in _live.Values)
            total += client.Commands;
        return total;
    }
}
