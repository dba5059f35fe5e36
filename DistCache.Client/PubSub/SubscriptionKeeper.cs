using System.Diagnostics;
using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Client.PubSub;

/// <summary>The client's actor for pub/sub: it holds the subscriptions (<see cref="SubscriptionSet"/>) and leases
/// them to whichever node the client's ClusterClient reaches, through the <see cref="RequestCorrelator"/>, every
/// <see cref="ClientSubscriptions.RenewInterval"/> and at once on every change. When that node dies the
/// ClusterClient moves on, and the next lease registers the subscriptions on the node it reaches then: what was
/// published in between is not delivered (at most once, as Redis's pub/sub). It ends with the correlator.</summary>
internal sealed class SubscriptionKeeper : ReceiveActor, IWithTimers
{
    private readonly SubscriptionSet _set = new();
    private readonly Dictionary<ISubscriptionSink, (TaskCompletionSource Done, long Deadline)> _subscribing = [];
    private readonly IActorRef _correlator;
    private readonly TimeSpan _timeout;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef correlator, TimeSpan timeout) => Akka.Actor.Props.Create(() => new SubscriptionKeeper(correlator, timeout));

    public SubscriptionKeeper(IActorRef correlator, TimeSpan timeout)
    {
        _correlator = correlator;
        _timeout = timeout;
        Receive<Subscribe>(subscribe =>
        {
            _set.Add(subscribe.Sink);
            _subscribing[subscribe.Sink] = (subscribe.Done, Stopwatch.GetTimestamp() + (long)(_timeout.TotalSeconds * Stopwatch.Frequency));
            SendLease();
            if (!Timers.IsTimerActive(nameof(Renew)))
                Timers.StartPeriodicTimer(nameof(Renew), Renew.Instance, ClientSubscriptions.RenewInterval);
        });
        Receive<Unsubscribe>(unsubscribe =>
        {
            if (!_set.Remove(unsubscribe.Sink))
                return;
            _subscribing.Remove(unsubscribe.Sink);
            // An empty lease ends the registration at once; nothing is renewed after it.
            SendLease();
            if (_set.IsEmpty)
                Timers.Cancel(nameof(Renew));
        });
        Receive<Renew>(_ =>
        {
            if (FailOverdue() || !_set.IsEmpty)
                SendLease();
            if (_set.IsEmpty)
                Timers.Cancel(nameof(Renew));
        });
        Receive<SubscriptionsGranted>(grant =>
        {
            foreach (var sink in _set.Granted(grant))
            {
                if (_subscribing.Remove(sink, out var pending))
                    pending.Done.TrySetResult();
            }
        });
        Receive<ClientDelivery>(delivery => _set.Deliver(delivery));
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    protected override void PreStart() => Context.Watch(_correlator);

    // The client is gone: every subscription's stream ends, and a subscribe still waiting fails.
    protected override void PostStop()
    {
        foreach (var (_, pending) in _subscribing)
            pending.Done.TrySetException(new ObjectDisposedException(nameof(DistCacheClient)));
        foreach (var sink in _set.Sinks)
            sink.Complete();
    }

    private void SendLease() => _correlator.Tell(new RequestCorrelator.ViaCluster(_set.NextLease(), Self));

    // A subscribe that no node granted within the request timeout fails, as a request would, and is taken back.
    private bool FailOverdue()
    {
        var now = Stopwatch.GetTimestamp();
        var overdue = _subscribing.Where(s => s.Value.Deadline <= now).ToArray();
        foreach (var (sink, pending) in overdue)
        {
            _subscribing.Remove(sink);
            _set.Remove(sink);
            pending.Done.TrySetException(new DistCacheTimeoutException(
                $"SUBSCRIBE got no answer within {_timeout.TotalMilliseconds:0} ms from the cluster"));
        }
        return overdue.Length > 0;
    }

    /// <summary>Adds a subscription; <see cref="Done"/> completes once a node delivers what it holds.</summary>
    internal sealed record Subscribe(ISubscriptionSink Sink, TaskCompletionSource Done);

    internal sealed record Unsubscribe(ISubscriptionSink Sink);

    private sealed class Renew
    {
        public static readonly Renew Instance = new();
    }
}
