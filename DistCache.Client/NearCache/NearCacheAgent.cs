using System.Diagnostics;
using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Client.NearCache;

/// <summary>The near cache's link to the cluster: every 100 ms a ping (and the lease of its registration) to the
/// node the ClusterClient reaches, and the node's invalidations and ticks into the <see cref="NearCacheStore"/>.</summary>
internal sealed class NearCacheAgent : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromMilliseconds(100);

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef correlator, NearCacheStore store, Guid clientId) =>
        Akka.Actor.Props.Create(() => new NearCacheAgent(correlator, store, clientId));

    public NearCacheAgent(IActorRef correlator, NearCacheStore store, Guid clientId)
    {
        Receive<Ping>(_ => correlator.Tell(new RequestCorrelator.ViaCluster(new NearCachePing(clientId, store.NextPing(Stopwatch.GetTimestamp())), Self)));
        Receive<NearCacheInvalidated>(store.OnInvalidated);
        Receive<NearCacheTick>(store.OnTick);
    }

    protected override void PreStart() => Timers.StartPeriodicTimer("ping", Ping.Instance, TimeSpan.Zero, PingInterval);

    private sealed class Ping
    {
        public static readonly Ping Instance = new();
    }
}
