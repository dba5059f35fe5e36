using DistCache.Wire;
using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Client;
using DistCache.Protocol;

namespace DistCache.Actors.Gateway;

/// <summary>The request path of a node's own front ends (the Redis endpoint): each connection opens a
/// <see cref="RequestSink"/>. A keyed command is validated and hashed once, here, and sent straight to its
/// partition when that partition serves on this node (see <see cref="LocalPartitions"/>), else to the shard
/// region; multi-key and cluster-wide commands go to the node's gateway. Replies come back to the sink's
/// own actor, which completes the caller's task: no node-wide correlator, no heartbeats, and the endpoint is
/// not listed as a client.</summary>
public sealed class NodeRequests(ActorSystem system, IActorRef gateway, IActorRef region, LocalPartitions local, PartitionLimits limits,
    int partitions, TimeSpan timeout, TimeSpan retryInterval)
{
    public RequestSink Open() => new(system, gateway, region, local, limits, partitions, timeout, retryInterval);
}

/// <summary>One connection's requests in flight. Thread-safe: the connection sends, the reply actor completes.
/// A request without a reply after the retry interval is sent again through the region with the same request
/// id (partitions answer a retried write with its original result); one without a reply by its deadline
/// fails with <see cref="DistCacheTimeoutException"/>.</summary>
public sealed class RequestSink : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly IActorRef _gateway;
    private readonly IActorRef _region;
    private readonly LocalPartitions _local;
    private readonly PartitionLimits _limits;
    private readonly int _partitions;
    private readonly TimeSpan _timeout;
    private readonly long _retryTicks;
    private readonly IActorRef _replies;
    private long _nextId;

    internal RequestSink(ActorSystem system, IActorRef gateway, IActorRef region, LocalPartitions local, PartitionLimits limits,
        int partitions, TimeSpan timeout, TimeSpan retryInterval)
    {
        _gateway = gateway;
        _region = region;
        _local = local;
        _limits = limits;
        _partitions = partitions;
        _timeout = timeout;
        _retryTicks = (long)(retryInterval.TotalSeconds * Stopwatch.Frequency);
        _replies = system.ActorOf(Props.Create(() => new ReplySink(this)));
    }

    public int InFlight => _pending.Count;

    public Task<ICacheReply> ExecuteAsync(IClientCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (CommandValidator.Validate(command, _limits, _partitions) is { } rejected)
            return Task.FromResult<ICacheReply>(rejected);
        var id = Interlocked.Increment(ref _nextId);
        var partition = command is ICacheCommand keyed ? KeyHasher.PartitionOf(keyed.Key, _partitions) : -1;
        var request = new ClientRequest(id, command, command is IWriteCommand ? Guid.NewGuid() : Guid.Empty,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)_timeout.TotalMilliseconds, partition);
        var now = Stopwatch.GetTimestamp();
        var pending = new Pending(request, new TaskCompletionSource<ICacheReply>(TaskCreationOptions.RunContinuationsAsynchronously),
            now + (long)(_timeout.TotalSeconds * Stopwatch.Frequency)) { NextAttempt = now + _retryTicks };
        _pending[id] = pending;
        Send(request, direct: true);
        return pending.Completion.Task;
    }

    private void Send(ClientRequest request, bool direct)
    {
        if (request.Partition < 0)
            _gateway.Tell(request, _replies);
        else if (direct && _local.Find(request.Partition) is { } partition)
            partition.Tell(request, _replies);
        else
            _region.Tell(request, _replies);
    }

    private void Complete(ClientResponse response)
    {
        if (_pending.TryRemove(response.CorrelationId, out var pending))
            pending.Completion.TrySetResult(response.Reply);
    }

    private void Sweep()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (id, pending) in _pending)
        {
            if (pending.Deadline <= now)
            {
                if (_pending.TryRemove(id, out _))
                    pending.Completion.TrySetException(new DistCacheTimeoutException(
                        $"{pending.Request.Command.GetType().Name} got no reply within {_timeout.TotalMilliseconds:0} ms"));
            }
            else if (pending.NextAttempt <= now)
            {
                pending.NextAttempt = now + _retryTicks;
                Send(pending.Request, direct: false);
            }
        }
    }

    public void Dispose()
    {
        _replies.Tell(PoisonPill.Instance);
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
                pending.Completion.TrySetException(new ObjectDisposedException(nameof(RequestSink)));
        }
    }

    private sealed record Pending(ClientRequest Request, TaskCompletionSource<ICacheReply> Completion, long Deadline)
    {
        public long NextAttempt { get; set; }
    }

    /// <summary>The actor partitions and the gateway answer; it only hands replies to its sink.</summary>
    private sealed class ReplySink : ReceiveActor, IWithTimers
    {
        public ReplySink(RequestSink sink)
        {
            Receive<ClientResponse>(sink.Complete);
            Receive<ClientResponseBatch>(batch =>
            {
                foreach (var response in batch.Responses)
                    sink.Complete(response);
            });
            Receive<SweepTick>(_ => sink.Sweep());
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartPeriodicTimer("sweep", SweepTick.Instance, SweepInterval);
    }

    private sealed class SweepTick
    {
        public static readonly SweepTick Instance = new();
    }
}
