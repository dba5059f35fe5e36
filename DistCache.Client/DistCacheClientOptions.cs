using Microsoft.Extensions.Logging;

namespace DistCache.Client;

/// <summary>How a <see cref="DistCacheClient"/> reaches the cluster.</summary>
public sealed record DistCacheClientOptions
{
    /// <summary>Nodes to contact, as <c>host:port</c>; a host may be a DNS name that resolves to several nodes'
    /// addresses (each is a contact). Any one that answers is enough: from its first answer on, the client knows
    /// the other nodes too and keeps that list current, so it survives losing every configured contact as long
    /// as one node it learned of lives. Names are resolved again when no known node answers.</summary>
    public IReadOnlyList<string> ContactPoints { get; init; } = ["127.0.0.1:4053"];

    /// <summary>Turns one contact point into the <c>host:port</c> endpoints of nodes (null: DNS, see
    /// <see cref="Contacts.DnsContactResolver"/>). Called at start and whenever no known node answers; plug in
    /// another discovery here.</summary>
    public Func<string, CancellationToken, Task<IReadOnlyList<string>>>? ContactResolver { get; init; }

    /// <summary>How long one request may take before it fails with <see cref="DistCacheTimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A request with no reply after this long is sent again (same request id, so a write is never
    /// applied twice), until <see cref="RequestTimeout"/>. Covers a contact node that died mid-request.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the client asks a node which node owns each partition. A node that receives a request
    /// for a partition it does not own (a node joined or left) also tells the client the new owners as soon as it
    /// knows them, so this poll only catches what no request has run into.</summary>
    public TimeSpan OwnerRefreshInterval { get; init; } = OwnerMap.RefreshInterval;

    /// <summary>Address this client listens on for replies; nodes must be able to reach it.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Largest value the client sends; sizes the transport's frames.</summary>
    public int MaxValueBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How many received messages one pub/sub subscription holds until they are read; those arriving
    /// while it is full are dropped (and counted in <see cref="PubSub.DistCacheSubscription.Dropped"/>).</summary>
    public int SubscriptionBuffer { get; init; } = 10_000;

    /// <summary>TLS to the cluster (the nodes run with <c>--tls-cert</c>); null: plain TCP. The client's
    /// certificate must be issued by the cluster CA. A failed handshake is final: Akka.Remote stops the
    /// client's actor system and every call throws <see cref="DistCacheConnectionException"/>.</summary>
    public DistCacheTlsOptions? Tls { get; init; }

    /// <summary>An in-process cache of values read with <c>GetAsync</c>, kept coherent by the cluster's invalidations
    /// (null: off). See <see cref="NearCache.NearCacheOptions"/> for its bound.</summary>
    public NearCache.NearCacheOptions? NearCache { get; init; }

    /// <summary>Where the client reports losing and regaining the cluster (one warning, one information
    /// line). The client's own actor system logs nothing, so a dying node never prints Akka's errors into
    /// the application's console. <c>AddDistCache</c> sets it from the application's logging.</summary>
    public ILogger? Logger { get; init; }
}
