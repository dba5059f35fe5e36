using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using DistCache.Actors.Gateway;
using DistCache.Actors.Protocol;

namespace DistCache.Client;

/// <summary>The client's one actor: it numbers each request, sends it through the ClusterClient and
/// completes the caller's task when the reply with that number comes back, or fails it once its deadline
/// passes. One long-lived actor instead of a temporary Ask actor per request.</summary>
internal sealed class RequestCorrelator : ReceiveActor, IWithTimers
{
    // Deadlines are checked on a tick rather than with a timer per request: one scheduled message
    // serves every in-flight request.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<long, Pending> _pending = new();
    private readonly IActorRef _clusterClient;
    private readonly TimeSpan _timeout;
    private readonly string _contacts;
    private long _nextId;

    public RequestCorrelator(IActorRef clusterClient, TimeSpan timeout, string contacts)
    {
        _clusterClient = clusterClient;
        _timeout = timeout;
        _contacts = contacts;

        Receive<Outgoing>(Send);
        Receive<ClientResponse>(Complete);
        Receive<Sweep>(_ => FailExpired());
    }

    public static Props Props(IActorRef clusterClient, TimeSpan timeout, string contacts) =>
        Akka.Actor.Props.Create(() => new RequestCorrelator(clusterClient, timeout, contacts));

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("sweep", Sweep.Instance, SweepInterval);

    protected override void PostStop()
    {
        foreach (var pending in _pending.Values)
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(DistCacheClient)));
        _pending.Clear();
    }

    private void Send(Outgoing outgoing)
    {
        var id = ++_nextId;
        _pending[id] = new Pending(outgoing.Command, outgoing.Completion, Stopwatch.GetTimestamp() + (long)(_timeout.TotalSeconds * Stopwatch.Frequency));
        _clusterClient.Tell(new ClusterClient.Send(GatewayActor.Path, new ClientRequest(id, outgoing.Command)), Self);
    }

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
                (expired ??= []).Add(id);
        }
        if (expired is null)
            return;
        foreach (var id in expired)
        {
            _pending.Remove(id, out var pending);
            pending!.Completion.TrySetException(new DistCacheTimeoutException(
                $"{CommandName(pending.Command)} '{pending.Command.Key}' got no reply within {_timeout.TotalMilliseconds:0} ms from the cluster at {_contacts}"));
        }
    }

    private static string CommandName(ICacheCommand command) => command switch
    {
        SetValue => "SET",
        GetValue => "GET",
        DeleteKey => "DEL",
        KeyExists => "EXISTS",
        IncrementBy => "INCRBY",
        _ => command.GetType().Name,
    };

    internal sealed record Outgoing(ICacheCommand Command, TaskCompletionSource<ICacheReply> Completion);

    private sealed record Pending(ICacheCommand Command, TaskCompletionSource<ICacheReply> Completion, long Deadline);

    private sealed class Sweep
    {
        public static readonly Sweep Instance = new();
    }
}
