using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using DistCache.Wire;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>The client's one actor: it numbers each request, sends it through the ClusterClient and
/// completes the caller's task when the reply with that number comes back, or fails it once its deadline
/// passes. One long-lived actor instead of a temporary Ask actor per request. A request with no reply
/// after the retry interval is sent again with the same request id (through whichever node the
/// ClusterClient reaches now), and partitions answer such a retry with the original result. Requests
/// queued at the same moment travel as one batch.</summary>
internal sealed class RequestCorrelator : ReceiveActor, IWithTimers
{
    // Deadlines are checked on a tick rather than with a timer per request: one scheduled message
    // serves every in-flight request.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);

    // Heartbeats announce the client to the node it reaches; their acks tell whether the cluster is there.
    private static readonly TimeSpan HeartbeatInterval = ClientHeartbeat.Interval;
    private static readonly TimeSpan SilenceBeforeLost = TimeSpan.FromSeconds(5);

    private const int MaxBatch = 256;

    private readonly Dictionary<long, Pending> _pending = new();
    private readonly List<ClientRequest> _outbox = [];
    private readonly Guid _clientId = Guid.NewGuid();
    private readonly Action<bool> _connectivityChanged;
    private long _lastAck;
    private bool _connected;
    private readonly IActorRef _gateway;
    private readonly bool _throughClusterClient;
    private readonly TimeSpan _timeout;
    private readonly long _retryTicks;
    private readonly string _contacts;
    private long _nextId;

    // gateway: the ClusterClient (throughClusterClient) or, inside a node, that node's own gateway actor.
    public RequestCorrelator(IActorRef gateway, bool throughClusterClient, TimeSpan timeout, TimeSpan retryInterval, string contacts,
        Action<bool> connectivityChanged)
    {
        _throughClusterClient = throughClusterClient;
        _connectivityChanged = connectivityChanged;
        _gateway = gateway;
        _timeout = timeout;
        _retryTicks = (long)(retryInterval.TotalSeconds * Stopwatch.Frequency);
        _contacts = contacts;

        Receive<Outgoing>(Send);
        Receive<FlushOutbox>(_ => FlushQueued());
        Receive<ClientResponse>(Complete);
        Receive<ClientResponseBatch>(batch =>
        {
            foreach (var response in batch.Responses)
                Complete(response);
        });
        Receive<Sweep>(_ =>
        {
            FailExpired();
            CheckConnectivity();
        });
        Receive<Heartbeat>(_ => ToGateway(new ClientHeartbeat(_clientId, ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString())));
        Receive<HeartbeatAck>(_ =>
        {
            _lastAck = Stopwatch.GetTimestamp();
            if (!_connected)
            {
                _connected = true;
                _connectivityChanged(true);
            }
        });
    }

    public static Props Props(IActorRef gateway, bool throughClusterClient, TimeSpan timeout, TimeSpan retryInterval, string contacts,
        Action<bool> connectivityChanged) =>
        Akka.Actor.Props.Create(() => new RequestCorrelator(gateway, throughClusterClient, timeout, retryInterval, contacts, connectivityChanged));

    private void CheckConnectivity()
    {
        if (_connected && Stopwatch.GetElapsedTime(_lastAck) > SilenceBeforeLost)
        {
            _connected = false;
            _connectivityChanged(false);
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, SweepInterval);
        Timers.StartPeriodicTimer("heartbeat", Heartbeat.Instance, TimeSpan.Zero, HeartbeatInterval);
    }

    protected override void PostStop()
    {
        foreach (var pending in _pending.Values)
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(DistCacheClient)));
        _pending.Clear();
    }

    private void Send(Outgoing outgoing)
    {
        var id = ++_nextId;
        var now = Stopwatch.GetTimestamp();
        // The same deadline travels with every retry; this actor gives up at the same moment on its own
        // monotonic clock (or up to one sweep later), never before.
        var request = new ClientRequest(id, outgoing.Command, outgoing.Command is IWriteCommand ? Guid.NewGuid() : Guid.Empty,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)_timeout.TotalMilliseconds);
        _pending[id] = new Pending(request, outgoing.Completion, now + (long)(_timeout.TotalSeconds * Stopwatch.Frequency))
        {
            NextAttempt = now + _retryTicks,
        };
        // Requests queued at the same moment go out as one message: the flush is a message of its own, so
        // it runs after everything already in the mailbox, and a lone request waits for nothing.
        _outbox.Add(request);
        if (_outbox.Count == 1)
            Self.Tell(FlushOutbox.Instance);
        else if (_outbox.Count >= MaxBatch)
            FlushQueued();
    }

    private void FlushQueued()
    {
        if (_outbox.Count == 1)
            Transmit(_outbox[0]);
        else if (_outbox.Count > 1)
            ToGateway(new ClientRequestBatch(_outbox.ToArray()));
        _outbox.Clear();
    }

    private void Transmit(ClientRequest request) => ToGateway(request);

    private void ToGateway(object message) =>
        _gateway.Tell(_throughClusterClient ? new ClusterClient.Send(NodeAddress.GatewayPath, message) : message, Self);

    private void Complete(ClientResponse response)
    {
        if (_pending.Remove(response.CorrelationId, out var pending))
            pending.Completion.TrySetResult(response.Reply);
    }

    private void FailExpired()
    {
        var now = Stopwatch.GetTimestamp();
        List<long>? expired = null;
        foreach (var (id, pending) in _pending)
        {
            if (pending.Deadline <= now)
            {
                (expired ??= []).Add(id);
            }
            else if (pending.NextAttempt <= now)
            {
                pending.NextAttempt = now + _retryTicks;
                Transmit(pending.Request);
            }
        }
        if (expired is null)
            return;
        foreach (var id in expired)
        {
            _pending.Remove(id, out var pending);
            pending!.Completion.TrySetException(new DistCacheTimeoutException(
                $"{Describe(pending.Request.Command)} got no reply within {_timeout.TotalMilliseconds:0} ms from the cluster at {_contacts}"));
        }
    }

    private static string Describe(IClientCommand command) => command switch
    {
        SetValue c => $"SET '{c.Key}'",
        GetValue c => $"GET '{c.Key}'",
        DeleteKey c => $"DEL '{c.Key}'",
        KeyExists c => $"EXISTS '{c.Key}'",
        IncrementBy c => $"INCRBY '{c.Key}'",
        ICacheCommand c => $"{c.GetType().Name} '{c.Key}'",
        MultiGet c => $"MGET of {c.Keys.Length} keys",
        MultiSet c => $"MSET of {c.Entries.Length} keys",
        _ => command.GetType().Name,
    };

    internal sealed record Outgoing(IClientCommand Command, TaskCompletionSource<ICacheReply> Completion);

    private sealed record Pending(ClientRequest Request, TaskCompletionSource<ICacheReply> Completion, long Deadline)
    {
        public long NextAttempt { get; set; }
    }

    private sealed class Heartbeat
    {
        public static readonly Heartbeat Instance = new();
    }

    private sealed class FlushOutbox
    {
        public static readonly FlushOutbox Instance = new();
    }

    private sealed class Sweep
    {
        public static readonly Sweep Instance = new();
    }
}
