using DistCache.Protocol;

namespace DistCache.Host.Resp;

/// <summary>One connection's MULTI state: the commands queued since MULTI, whether one was refused as it was
/// queued (EXEC then answers EXECABORT), and the keys WATCH read versions of. Only the connection's read loop
/// changes it, one command at a time; a WATCH's versions arrive with its reply, before EXEC runs (EXEC waits
/// for every earlier reply of the connection).</summary>
public sealed class RespTransaction
{
    private readonly List<Queued> _queued = [];
    private readonly List<Watch> _watches = [];
    // Redis's multi= of CLIENT LIST: -1 outside MULTI, else the commands queued. Other connections read it
    // (their CLIENT LIST), so it is one int written with Volatile, never the list they could see mid-change.
    private int _multi = -1;

    /// <summary>Between MULTI and EXEC or DISCARD.</summary>
    public bool Active => _multi >= 0;

    /// <summary>The commands queued since MULTI, -1 outside a transaction; safe to read from another thread.</summary>
    public int QueuedCount => Volatile.Read(ref _multi);

    /// <summary>A command was refused while queued (unknown, wrong arity, not allowed in a transaction).</summary>
    public bool Failed { get; private set; }

    public IReadOnlyList<Queued> Commands => _queued;

    public IReadOnlyList<Watch> Watches => _watches;

    public void Begin() => Volatile.Write(ref _multi, 0);

    public void Fail() => Failed = true;

    public void Add(Queued command)
    {
        _queued.Add(command);
        Volatile.Write(ref _multi, _queued.Count);
    }

    public Watch AddWatch(CacheKey[] keys)
    {
        var watch = new Watch(keys);
        _watches.Add(watch);
        return watch;
    }

    public void Unwatch() => _watches.Clear();

    /// <summary>EXEC, DISCARD, RESET: the queue, the refusal and the watches are gone.</summary>
    public void Reset()
    {
        Volatile.Write(ref _multi, -1);
        Failed = false;
        _queued.Clear();
        _watches.Clear();
    }

    /// <summary>A queued command: a reply known at once (PING), the cluster commands that answer it and how
    /// their replies make its reply, or an action run when EXEC runs the transaction (PUBLISH).</summary>
    public sealed record Queued(RespValue? Reply, IClientCommand[] Commands, Func<ICacheReply[], RespValue>? Answer)
    {
        public Func<RespValue>? AtExec { get; init; }

        /// <summary>What it reads and writes for CLIENT TRACKING, applied when EXEC starts (Redis tracks a
        /// transaction's reads as EXEC runs them).</summary>
        public Tracking.TrackedKeys? Tracked { get; init; }
    }

    /// <summary>WATCH's keys and, once its reply came, their versions (null until then, or when it failed:
    /// EXEC then treats them as changed).</summary>
    public sealed class Watch(CacheKey[] keys)
    {
        public CacheKey[] Keys { get; } = keys;

        public long[]? Versions { get; set; }
    }
}
