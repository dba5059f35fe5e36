using DistCache.Wire;
using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using DistCache.Actors.Monitoring;
using DistCache.Actors.Partitions;
using DistCache.Client;
using DistCache.Protocol;

namespace DistCache.Actors.Gateway;

/// <summary>The request path of a node's own front ends (the Redis endpoint): each connection opens a
/// <see cref="RequestSink"/>. A keyed command is validated and hashed once, here, and sent straight to its
/// partition when that partition serves on this node (see <see cref="LocalPartitions"/>), else to the shard
/// region; multi-key and cluster-wide commands go to the node's gateway. Replies come back to the sink's
/// own reply reference, which completes the caller's task: no node-wide correlator, no heartbeats, and the endpoint is
/// not listed as a client.</summary>
public sealed class NodeRequests(ActorSystem system, IActorRef gateway, IActorRef region, LocalPartitions local, PartitionLimits limits,
    int partitions, TimeSpan timeout, TimeSpan retryInterval, NodeMetrics? metrics = null)
{
    public RequestSink Open() => new(system, gateway, region, local, limits, partitions, timeout, retryInterval, metrics);
}

/// <summary>One connection's requests in flight. Thread-safe: the connection sends, whoever replies completes.
/// A request without a reply after the retry interval is sent again through the region with the same request
/// id (partitions answer a retried write with its original result); one without a reply by its deadline
/// fails with <see cref="DistCacheTimeoutException"/>.</summary>
public sealed class RequestSink : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);

    private readonly PendingRequests _pending;
    private readonly IActorRef _gateway;
    private readonly PartitionRouter _router;
    private readonly PartitionLimits _limits;
    private readonly int _partitions;
    private readonly ReplyRef _replies;
    private readonly IActorRefProvider _provider;
    private readonly NodeMetrics? _metrics;
    private readonly Timer _sweeper;
    private int _sweeping;

    internal RequestSink(ActorSystem system, IActorRef gateway, IActorRef region, LocalPartitions local, PartitionLimits limits,
        int partitions, TimeSpan timeout, TimeSpan retryInterval, NodeMetrics? metrics = null)
    {
        _metrics = metrics;
        _gateway = gateway;
        _router = new PartitionRouter(local, region);
        _limits = limits;
        _partitions = partitions;
        _pending = new PendingRequests(timeout, retryInterval);
        // Replies are handed to the sink on the thread that sends them (a partition's, or remoting's for a
        // reply from another node): no reply actor, so no mailbox hop. Registered as a temporary actor, as
        // Akka's own Ask does, so a reply from another node finds it by its path.
        _provider = ((ExtendedActorSystem)system).Provider;
        _replies = new ReplyRef(this, _provider, _provider.TempPath());
        _provider.RegisterTempActor(_replies, _replies.Path);
        _sweeper = new Timer(_ => SweepOnce(), null, SweepInterval, SweepInterval);
    }

    public int InFlight => _pending.Count;

    public Task<ICacheReply> ExecuteAsync(IClientCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (CommandValidator.Validate(command, _limits, _partitions) is { } rejected)
            return Task.FromResult<ICacheReply>(rejected);
        var (request, completion) = Register(command, command is ICacheCommand keyed ? KeyHasher.PartitionOf(keyed.Key, _partitions) : -1);
        Send(request, direct: true);
        return completion;
    }

    /// <summary>As <see cref="ExecuteAsync(IClientCommand)"/>; when <paramref name="cancel"/> fires while a
    /// <see cref="BlockingCall"/> still waits, its partition is told to stop the wait (<see cref="StopWaiting"/>),
    /// and the call ends with <see cref="WaitEnded"/>, or with what it took if it took something first.</summary>
    public async Task<ICacheReply> ExecuteAsync(IClientCommand command, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        if (command is not BlockingCall blocking)
            return await ExecuteAsync(command);
        if (CommandValidator.Validate(command, _limits, _partitions) is { } rejected)
            return rejected;
        var (request, completion) = Register(command, KeyHasher.PartitionOf(blocking.Key, _partitions));
        Send(request, direct: true);
        await using (cancel.Register(() => _ = ExecuteAsync(new StopWaiting(blocking.Key, request.RequestId))))
            return await completion;
    }

    /// <summary>Runs <paramref name="commands"/> together, their replies in the same order: the keyed ones
    /// go to each partition as one <see cref="PartitionRequests"/> message, not one message per key.</summary>
    public async Task<ICacheReply[]> ExecuteAllAsync(IReadOnlyList<IClientCommand> commands)
    {
        var replies = new Task<ICacheReply>[commands.Count];
        var groups = new Dictionary<int, List<ClientRequest>>();
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            if (command is not ICacheCommand keyed || CommandValidator.Validate(command, _limits, _partitions) is not null)
            {
                replies[i] = ExecuteAsync(command);
                continue;
            }
            var (request, completion) = Register(command, KeyHasher.PartitionOf(keyed.Key, _partitions));
            replies[i] = completion;
            if (!groups.TryGetValue(request.Partition, out var group))
                groups[request.Partition] = group = [];
            group.Add(request);
        }
        foreach (var (partition, group) in groups)
        {
            if (group.Count == 1)
                Send(group[0], direct: true);
            else
                SendGroup(new PartitionRequests(partition, group.ToArray()));
        }
        return await Task.WhenAll(replies);
    }

    private (ClientRequest Request, Task<ICacheReply> Completion) Register(IClientCommand command, int partition)
    {
        var completion = new TaskCompletionSource<ICacheReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = _pending.Register(command, command is IWriteCommand ? RequestIds.Next() : Guid.Empty, completion, partition);
        return (request, completion.Task);
    }

    private void SendGroup(PartitionRequests group)
    {
        // Sent first: with no metrics, ?. would skip evaluating the argument, and so the send.
        var served = _router.Send(group, group.Partition, _replies);
        _metrics?.RespRequest(local: served);
    }

    private void Send(ClientRequest request, bool direct)
    {
        if (request.Partition < 0)
        {
            _gateway.Tell(request, _replies);
            return;
        }
        var served = _router.Send(request, request.Partition, _replies, direct);
        // Only first attempts count: a retry always goes through the region, whoever owns the partition.
        if (direct)
            _metrics?.RespRequest(local: served);
    }

    private void Complete(ClientResponse response) => _pending.Complete(response);

    // Timer callbacks may overlap when one runs long: one sweep at a time.
    private void SweepOnce()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
            return;
        try
        {
            Sweep();
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private void Sweep() => _pending.Sweep(request => Send(request, direct: false), request => new DistCacheTimeoutException(
        $"{request.Command.GetType().Name} got no reply within {_pending.Timeout.TotalMilliseconds:0} ms"));

    public void Dispose()
    {
        _sweeper.Dispose();
        _provider.UnregisterTempActor(_replies.Path);
        _pending.FailAll(new ObjectDisposedException(nameof(RequestSink)));
    }

    /// <summary>What partitions and the gateway answer: it hands each reply to its sink at once.</summary>
    private sealed class ReplyRef(RequestSink sink, IActorRefProvider provider, ActorPath path) : MinimalActorRef
    {
        public override ActorPath Path { get; } = path;

        public override IActorRefProvider Provider { get; } = provider;

        protected override void TellInternal(object message, IActorRef sender)
        {
            switch (message)
            {
                case ClientResponse response:
                    sink.Complete(response);
                    break;
                case ClientResponseBatch batch:
                    foreach (var response in batch.Responses)
                        sink.Complete(response);
                    break;
            }
        }
    }
}
