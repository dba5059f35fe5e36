using System.Collections.Immutable;
using System.Text;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using System.Diagnostics;
using DistCache.Client.Contacts;
using DistCache.Client.NearCache;
using DistCache.Client.PubSub;
using DistCache.Wire;
using DistCache.Protocol;
using DistCache.Security;
using DistCache.Telemetry;
using Microsoft.Extensions.Logging;

namespace DistCache.Client;

/// <summary>A connection to a DistCache cluster. Create one per application and share it: it is
/// thread-safe. It enters the cluster through one ClusterClient (contact points, failover) and sends each
/// keyed request straight to the node that owns the key, once it has learned the owners.</summary>
public sealed class DistCacheClient : IAsyncDisposable, IDisposable
{
    private static int _instances;
    private readonly ActorSystem _system;
    private readonly bool _ownsSystem;
    private readonly IActorRef _correlator;
    private readonly DistCacheClientOptions _options;
    private readonly NearCacheStore? _near;
    private DistCacheConnectionException? _failure;

    /// <summary>The client's pub/sub subscriptions (<see cref="SubscriptionKeeper"/>), leased to the node it reaches.</summary>
    internal IActorRef Subscriptions { get; }

    internal DistCacheClientOptions Options => _options;

    /// <summary>Which node owns each partition, as this client last learned it (for tests and diagnostics).</summary>
    internal OwnerMap Owners { get; } = new();

    /// <summary>The nodes this client would enter the cluster through now (for tests and diagnostics).</summary>
    internal Task<RequestCorrelator.KnownContacts> KnownContactsAsync() =>
        _correlator.Ask<RequestCorrelator.KnownContacts>(RequestCorrelator.DescribeContacts.Instance, TimeSpan.FromSeconds(5));

    /// <summary>How many owners' gateways this client reaches directly (the others through the ClusterClient).</summary>
    internal Task<int> OwnerGatewaysAsync() => _correlator.Ask<int>(RequestCorrelator.CountOwnerGateways.Instance, TimeSpan.FromSeconds(5));

    public DistCacheClient(DistCacheClientOptions options) : this(options, null)
    {
    }

    /// <summary>A client living in <paramref name="system"/> (an application's own actor system, see
    /// <c>WithDistCacheClient</c>) or, when null, in an actor system of its own.</summary>
    internal DistCacheClient(DistCacheClientOptions options, ActorSystem? system)
    {
        if (options.ContactPoints.Count == 0)
            throw new ArgumentException("At least one contact point (host:port) is required", nameof(options));
        _options = options;
        _ownsSystem = system is null;

        var tls = options.Tls?.Load();
        if (system is null)
        {
            var config = BuildConfig(options);
            _system = ActorSystem.Create("distcache-client", tls is null
                ? WireConfig.Setup(config)
                : WireConfig.Setup(AkkaTls.Hocon.WithFallback(config), AkkaTls.Setup(tls)));
        }
        else
        {
            _system = system;
        }
        // The contacts' scheme follows the transport: akka.ssl.tcp when it runs TLS.
        var scheme = ((ExtendedActorSystem)_system).Provider.DefaultAddress.Protocol;
        foreach (var contact in options.ContactPoints)
            if (!NodeAddress.TryParseHostPort(contact, out _, out _))
                throw new ArgumentException($"Contact point '{contact}' is not host:port");
        _system.WhenTerminated.ContinueWith(_ => OnSystemTerminated(), TaskScheduler.Default);
        var entry = new ClientEntry(options.ContactPoints, options.ContactResolver ?? DnsContactResolver.ResolveAsync,
            ClusterClientSettings.Create(_system), scheme);
        // Unique names, so several clients (or an application's own actors) can share one system.
        var suffix = Interlocked.Increment(ref _instances);
        _correlator = _system.ActorOf(
            RequestCorrelator.Props(entry, options.RequestTimeout, options.RetryInterval, OnConnectivity, Owners, options.OwnerRefreshInterval),
            $"distcache-requests-{suffix}");
        if (options.NearCache is { } near)
        {
            _near = new NearCacheStore(near);
            _system.ActorOf(NearCacheAgent.Props(_correlator, _near, Guid.NewGuid()), $"distcache-near-cache-{suffix}");
        }
        Subscriptions = _system.ActorOf(SubscriptionKeeper.Props(_correlator, options.RequestTimeout), $"distcache-subscriptions-{suffix}");
        // While ClusterClient makes its first contact, so the first request does not wait for Hyperion.
        _ = WireWarmUp.RunAsync(_system);
        if (tls is not null)
            _ = ProbeContactsAsync(tls);
    }

    private static readonly TimeSpan ProbePatience = TimeSpan.FromSeconds(3);

    /// <summary>Under TLS 1.3 a node refusing our certificate looks to Akka.Remote like a dropped connection,
    /// retried forever; one probe per contact turns that into the terminal <see cref="DistCacheConnectionState.Failed"/>
    /// when every contact that answers refuses us.</summary>
    private async Task ProbeContactsAsync(TlsMaterial tls)
    {
        var endpoints = _options.ContactPoints.Select(c => NodeAddress.TryParseHostPort(c, out var host, out var port) ? (host, port) : default).ToArray();
        if (await TlsContactProbe.RefusedByAllAsync(endpoints, tls, ProbePatience).ConfigureAwait(false) is { } refused)
            Fail(new DistCacheConnectionException(
                $"The TLS handshake with {refused.Endpoint} failed: {refused.Reason}. " + CheckCertificates));
    }

    private const string CheckCertificates = "Check that the client certificate (DistCache:Tls) is issued by the cluster CA and not expired, " +
        "and that its CA is the one of the nodes' certificates; then create a new client.";

    /// <summary>Moves to the terminal state: the request path stops (failing what is in flight) and every call throws <paramref name="failure"/>.</summary>
    private void Fail(DistCacheConnectionException failure)
    {
        if (Interlocked.CompareExchange(ref _failure, failure, null) is not null)
            return;
        State = DistCacheConnectionState.Failed;
        _options.Logger?.LogError("DistCache: {Message}", failure.Message);
        if (_ownsSystem)
            _system.Terminate();
        else
        {
            _system.Stop(_correlator);
        }
        ThreadPool.QueueUserWorkItem(_ => ConnectionLost?.Invoke(this, EventArgs.Empty));
    }

    /// <summary>Sends one protocol command as it is and returns the raw reply (a <see cref="Rejected"/> is
    /// returned, not thrown). For front ends that map another protocol onto DistCache's.</summary>
    public Task<ICacheReply> ExecuteAsync(IClientCommand command) => SendAsync(command ?? throw new ArgumentNullException(nameof(command)));

    /// <summary>As <see cref="ExecuteAsync(IClientCommand)"/>, until <paramref name="cancellationToken"/> fires. A
    /// <see cref="BlockingCall"/> still waiting then stops waiting in its partition (<see cref="StopWaiting"/>) and
    /// ends with <see cref="WaitEnded"/>, or with what it took if it took something first, so nothing is taken
    /// for a caller that has gone; another command is only no longer waited for.</summary>
    public async Task<ICacheReply> ExecuteAsync(IClientCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        cancellationToken.ThrowIfCancellationRequested();
        if (command is not BlockingCall blocking)
            return await SendAsync(command).WaitAsync(cancellationToken).ConfigureAwait(false);
        var requestId = Guid.NewGuid();
        var reply = SendAsync(command, requestId);
        await using (cancellationToken.Register(() => _ = SendAsync(new StopWaiting(blocking.Key, requestId))))
            return await reply.ConfigureAwait(false);
    }

    /// <summary>Whether the cluster answers this client's heartbeats (sent every 2 s).</summary>
    public DistCacheConnectionState State { get; private set; } = DistCacheConnectionState.Connecting;

    /// <summary>Raised when the cluster stops answering (no heartbeat reply for 5 s). Requests keep being
    /// retried until their timeout meanwhile.</summary>
    public event EventHandler? ConnectionLost;

    /// <summary>Raised when the cluster answers again after <see cref="ConnectionLost"/>, and on first contact.</summary>
    public event EventHandler? Connected;

    /// <summary>The members with their partitions, keys, bytes and load, and the clients connected to them.</summary>
    public async Task<ClusterStatus> StatusAsync() => Expect<ClusterStatus>(await SendAsync(GetClusterStatus.Instance).ConfigureAwait(false));

    private void OnConnectivity(bool connected)
    {
        if (!connected)
            _options.Logger?.LogWarning("DistCache: the cluster stopped answering (contact points {ContactPoints}); requests are retried until their timeout",
                string.Join(", ", _options.ContactPoints));
        else if (State == DistCacheConnectionState.Disconnected)
            _options.Logger?.LogInformation("DistCache: the cluster answers again");
        State = connected ? DistCacheConnectionState.Connected : DistCacheConnectionState.Disconnected;
        // Off the actor's thread: a handler may block or call the client.
        ThreadPool.QueueUserWorkItem(_ => (connected ? Connected : ConnectionLost)?.Invoke(this, EventArgs.Empty));
    }

    public DistCacheClient(params string[] contactPoints)
        : this(new DistCacheClientOptions { ContactPoints = contactPoints.Length > 0 ? contactPoints : ["127.0.0.1:4053"] })
    {
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing any value it had.
    /// With <paramref name="ttl"/> the key expires after that long; without, it loses any expiry (as in Redis).</summary>
    public Task SetAsync<T>(CacheKey key, T value, TimeSpan? ttl = null) => SetAsync(key, value, Expiry.From(ttl));

    /// <summary>Stores <paramref name="value"/> with the expiry <paramref name="expiry"/> says: relative,
    /// absolute, sliding (every read moves it on), kept from the previous value, or none.</summary>
    public async Task SetAsync<T>(CacheKey key, T value, Expiry expiry) =>
        Expect<Stored>(await SendAsync(new SetValue(key, Encode(value), expiry)).ConfigureAwait(false));

    /// <summary>Stores the value only if the key does not exist (memcached add, Redis SET NX); true when stored.</summary>
    public async Task<bool> AddAsync<T>(CacheKey key, T value, TimeSpan? ttl = null)
    {
        return Expect<Written>(await SendAsync(new SetValue(key, Encode(value), Expiry.From(ttl), SetCondition.IfAbsent)).ConfigureAwait(false)).Applied;
    }

    /// <summary>Stores the value only if the key exists (memcached replace, Redis SET XX); true when stored.</summary>
    public async Task<bool> ReplaceAsync<T>(CacheKey key, T value, TimeSpan? ttl = null)
    {
        return Expect<Written>(await SendAsync(new SetValue(key, Encode(value), Expiry.From(ttl), SetCondition.IfPresent)).ConfigureAwait(false)).Applied;
    }

    /// <summary>Appends to a string or byte value (a missing key starts empty) and returns the new length in bytes.</summary>
    public Task<long> AppendAsync(CacheKey key, string text) => AppendAsync(key, Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))), false);

    public Task<long> AppendAsync(CacheKey key, byte[] data) => AppendAsync(key, data, false);

    /// <summary>Prepends to a string or byte value (memcached prepend) and returns the new length in bytes.</summary>
    public Task<long> PrependAsync(CacheKey key, string text) => AppendAsync(key, Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))), true);

    public Task<long> PrependAsync(CacheKey key, byte[] data) => AppendAsync(key, data, true);

    private async Task<long> AppendAsync(CacheKey key, byte[] data, bool prepend)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Expect<CounterValue>(await SendAsync(new AppendValue(key, data, prepend)).ConfigureAwait(false)).Value;
    }

    /// <summary>Stores the value and returns the previous one (GETSET); the key loses any expiry.</summary>
    public async Task<(bool Found, T? Value)> GetSetAsync<T>(CacheKey key, T value)
    {
        var old = Expect<Found>(await SendAsync(new GetAndSet(key, Encode(value))).ConfigureAwait(false)).Value;
        return old is null ? (false, default) : (true, ValueCodec.Decode<T>(old));
    }

    /// <summary>Removes the key and returns the value it had (GETDEL).</summary>
    public async Task<(bool Found, T? Value)> GetDeleteAsync<T>(CacheKey key)
    {
        var old = Expect<Found>(await SendAsync(new GetAndDelete(key)).ConfigureAwait(false)).Value;
        return old is null ? (false, default) : (true, ValueCodec.Decode<T>(old));
    }

    /// <summary>The value with its version (memcached gets), or null when the key is missing.</summary>
    public async Task<Versioned<T>?> GetWithVersionAsync<T>(CacheKey key)
    {
        var reply = Expect<FoundVersioned>(await SendAsync(new GetWithVersion(key)).ConfigureAwait(false));
        return reply.Value is null ? null : new Versioned<T>(ValueCodec.Decode<T>(reply.Value), reply.Version);
    }

    /// <summary>Stores the value only if the entry still has <paramref name="version"/> (memcached cas).
    /// False when another write or a change of the key's time to live came first (as WATCH sees them), or the
    /// key is gone. Without <paramref name="ttl"/> the key keeps its expiry.</summary>
    public async Task<bool> CompareAndSetAsync<T>(CacheKey key, T value, long version, TimeSpan? ttl = null)
    {
        return Expect<CasResult>(await SendAsync(new CompareAndSet(key, Encode(value), version, ttl is { } t ? Expiry.After(t) : Expiry.Keep)).ConfigureAwait(false)).Applied;
    }

    /// <summary>Sets the key to expire after <paramref name="ttl"/> (a non-positive time deletes it); false when the key is missing.</summary>
    public Task<bool> ExpireAsync(CacheKey key, TimeSpan ttl) => ExpireAsync(key, Expiry.After(ttl));

    /// <summary>Sets the key's expiry as <paramref name="expiry"/> says (an absolute time already past
    /// deletes it); false when the key is missing.</summary>
    public async Task<bool> ExpireAsync(CacheKey key, Expiry expiry) =>
        Expect<Existence>(await SendAsync(new ExpireKey(key, expiry)).ConfigureAwait(false)).Exists;

    /// <summary>GETEX: the value, with the key's expiry changed as <paramref name="expiry"/> says, in one
    /// round trip; default when the key is missing.</summary>
    public async Task<T?> GetAndExpireAsync<T>(CacheKey key, Expiry expiry) =>
        Expect<Found>(await SendAsync(new GetAndExpire(key, expiry)).ConfigureAwait(false)).Value is { } raw ? ValueCodec.Decode<T>(raw) : default;

    /// <summary>Removes the key's expiry; true when it had one.</summary>
    public async Task<bool> PersistAsync(CacheKey key)
    {
        return Expect<Existence>(await SendAsync(new PersistKey(key)).ConfigureAwait(false)).Exists;
    }

    /// <summary>Milliseconds until the key expires; -1 when it never does, -2 when it is missing (Redis PTTL).</summary>
    public async Task<long> PttlAsync(CacheKey key)
    {
        return Expect<CounterValue>(await SendAsync(new TimeToLive(key)).ConfigureAwait(false)).Value;
    }

    /// <summary>Time until the key expires, or null when it is missing or never expires.</summary>
    public async Task<TimeSpan?> TtlAsync(CacheKey key)
    {
        var ms = await PttlAsync(key).ConfigureAwait(false);
        return ms < 0 ? null : TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>MGET: the values in the order of <paramref name="keys"/>, default where missing. The node
    /// that receives the request sends each partition its share in one message.</summary>
    public Task<IReadOnlyList<T?>> GetManyAsync<T>(IEnumerable<string> keys) => GetManyAsync<T>(keys.Select(CacheKey.FromString));

    public async Task<IReadOnlyList<T?>> GetManyAsync<T>(IEnumerable<CacheKey> keys) =>
        (await GetManyRawAsync(keys).ConfigureAwait(false)).Select(v => v is null ? default : ValueCodec.Decode<T>(v)).ToArray();

    public Task<IReadOnlyList<CacheValue?>> GetManyRawAsync(IEnumerable<string> keys) => GetManyRawAsync(keys.Select(CacheKey.FromString));

    public async Task<IReadOnlyList<CacheValue?>> GetManyRawAsync(IEnumerable<CacheKey> keys)
    {
        var array = keys.ToArray();
        if (array.Length == 0)
            return [];
        return Expect<Values>(await SendAsync(new MultiGet(array)).ConfigureAwait(false)).Items;
    }

    /// <summary>MSET: stores every entry; each partition's share is one journaled write. Not atomic across
    /// partitions: after an error some partitions may have stored their share.</summary>
    public Task SetManyAsync<T>(IEnumerable<KeyValuePair<string, T>> entries) =>
        SetManyAsync(entries.Select(e => KeyValuePair.Create(CacheKey.FromString(e.Key), e.Value)));

    public async Task SetManyAsync<T>(IEnumerable<KeyValuePair<CacheKey, T>> entries)
    {
        var encoded = entries.Select(e => new KeyedValue(e.Key, Encode(e.Value))).ToArray();
        if (encoded.Length == 0)
            return;
        Expect<Stored>(await SendAsync(new MultiSet(encoded)).ConfigureAwait(false));
    }

    /// <summary>FLUSHALL: removes every key of the cache.</summary>
    public async Task FlushAsync() => Expect<Stored>(await SendAsync(FlushAll.Instance).ConfigureAwait(false));

    /// <summary>DBSIZE: the number of keys in the cache.</summary>
    public async Task<long> CountAsync() => Expect<CounterValue>(await SendAsync(CountKeys.Instance).ConfigureAwait(false)).Value;

    /// <summary>One page of SCAN: start with cursor "0", continue with the returned cursor until it is "0".
    /// Every key present for the whole scan is returned once; keys added or removed meanwhile may or may not be.</summary>
    public async Task<(IReadOnlyList<string> Keys, string Cursor)> ScanAsync(string cursor = "0", int count = 100)
    {
        var (keys, next) = await ScanKeysAsync(cursor, count).ConfigureAwait(false);
        return (keys.Select(k => k.ToString()).ToArray(), next);
    }

    /// <summary>One page of SCAN with the keys as their bytes (<see cref="ScanAsync"/> gives them as text,
    /// a key that is not UTF-8 in Redis's escaped form).</summary>
    public async Task<(IReadOnlyList<CacheKey> Keys, string Cursor)> ScanKeysAsync(string cursor = "0", int count = 100)
    {
        var page = Expect<KeyPage>(await SendAsync(new ScanKeys(cursor, count)).ConfigureAwait(false));
        return (page.Keys, page.Cursor);
    }

    /// <summary>Every key, page by page.</summary>
    public async IAsyncEnumerable<string> ScanAllAsync(int pageSize = 500)
    {
        var cursor = "0";
        do
        {
            var (keys, next) = await ScanAsync(cursor, pageSize).ConfigureAwait(false);
            foreach (var key in keys)
                yield return key;
            cursor = next;
        }
        while (cursor != "0");
    }

    internal CacheValue Encode<T>(T value)
    {
        var encoded = ValueCodec.Encode(value);
        if (encoded.Size > _options.MaxValueBytes)
            throw (ValueTooLargeException)DistCacheException.From(new Rejected(CacheErrorCode.ValueTooLarge, encoded.Size, _options.MaxValueBytes));
        return encoded;
    }

    /// <summary>The value of <paramref name="key"/>, or <c>default</c> when it is missing
    /// (use <see cref="TryGetAsync{T}"/> to tell a missing key from a stored default).</summary>
    public async Task<T?> GetAsync<T>(CacheKey key)
    {
        var (found, value) = await TryGetAsync<T>(key).ConfigureAwait(false);
        return found ? value : default;
    }

    public async Task<(bool Found, T? Value)> TryGetAsync<T>(CacheKey key)
    {
        var raw = await GetRawAsync(key).ConfigureAwait(false);
        return raw is null ? (false, default) : (true, ValueCodec.Decode<T>(raw));
    }

    /// <summary>The stored bytes and their type tag, or null when the key is missing.</summary>
    public async Task<CacheValue?> GetRawAsync(CacheKey key)
    {
        if (_near is null)
            return Expect<Found>(await SendAsync(new GetValue(key)).ConfigureAwait(false)).Value;
        var now = Stopwatch.GetTimestamp();
        if (_near.TryGet(key, now, out var cached))
            return cached;
        var fetch = _near.BeginFetch(key, now);
        var found = Expect<FoundCacheable>(await SendAsync(new GetCacheable(key)).ConfigureAwait(false));
        _near.Complete(key, fetch, found);
        return found.Value;
    }

    /// <summary>Raised when the near cache drops keys: the cluster said they changed, or this client wrote them (null:
    /// every key, when the near cache could no longer show it is current). Raised on the client's threads: keep it short.
    /// Only with <see cref="DistCacheClientOptions.NearCache"/> on.</summary>
    public event Action<IReadOnlyList<CacheKey>?>? NearCacheDropped
    {
        add
        {
            if (_near is not null)
                _near.Dropped += value;
        }
        remove
        {
            if (_near is not null)
                _near.Dropped -= value;
        }
    }

    /// <summary>Reads served from the near cache and reads that went to the cluster (null: no near cache).</summary>
    public (long Hits, long Misses)? NearCacheReads => _near?.Reads;

    /// <summary>The near cache (null when off), for tests and diagnostics.</summary>
    internal NearCacheStore? Near => _near;

    /// <summary>Removes the key; true when it existed.</summary>
    public async Task<bool> DeleteAsync(CacheKey key)
    {
        return Expect<Deleted>(await SendAsync(new DeleteKey(key)).ConfigureAwait(false)).Existed;
    }

    public async Task<bool> ExistsAsync(CacheKey key)
    {
        return Expect<Existence>(await SendAsync(new KeyExists(key)).ConfigureAwait(false)).Exists;
    }

    /// <summary>A MULTI/EXEC transaction: queue commands on it, optionally with conditions
    /// (<see cref="DistCacheTransaction.WhenUnchanged"/>), then <see cref="DistCacheTransaction.ExecuteAsync()"/>
    /// runs them all at once in the partition owning their keys, which must share a Redis Cluster slot.</summary>
    public DistCacheTransaction CreateTransaction() => new(this, command => SendAsync(command));

    /// <summary>Adds <paramref name="by"/> to the 64-bit integer at <paramref name="key"/> (a missing key
    /// counts as 0) and returns the new value, atomically.</summary>
    public async Task<long> IncrementAsync(CacheKey key, long by = 1)
    {
        return Expect<CounterValue>(await SendAsync(new IncrementBy(key, by)).ConfigureAwait(false)).Value;
    }

    public Task<long> DecrementAsync(CacheKey key, long by = 1)
    {
        if (by == long.MinValue)
            throw DistCacheException.From(new Rejected(CacheErrorCode.IntegerOverflow));
        return IncrementAsync(key, -by);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsSystem)
        {
            await _system.Terminate().ConfigureAwait(false);
            return;
        }
        _system.Stop(_correlator);
    }

    public void Dispose() => DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));

    private Task<ICacheReply> SendAsync(IClientCommand command, Guid requestId = default)
    {
        if (_near is not null && command is IWriteCommand)
            return WriteThroughNearCacheAsync(command, requestId);
        return SendToClusterAsync(command, requestId);
    }

    // This client's own write drops what its near cache holds for the keys, when it is sent (so no read after it
    // is served the old value) and again once it is answered (so no read that overtook it leaves the old value
    // behind): its caller reads its own write, without waiting for the cluster's invalidation.
    private async Task<ICacheReply> WriteThroughNearCacheAsync(IClientCommand command, Guid requestId)
    {
        ForgetWritten(command);
        try
        {
            return await SendToClusterAsync(command, requestId).ConfigureAwait(false);
        }
        finally
        {
            ForgetWritten(command);
        }
    }

    private void ForgetWritten(IClientCommand command)
    {
        switch (command)
        {
            case IMultiKeyCommand multi:
                _near!.Invalidate(multi.Keys.ToArray());
                break;
            case ICacheCommand keyed:
                _near!.Invalidate([keyed.Key]);
                break;
            case MultiSet set:
                _near!.Invalidate(set.Entries.Select(e => e.Key).ToArray());
                break;
            default:
                _near!.Clear(); // FLUSHALL, a transaction: any key
                break;
        }
    }

    // The listener check comes first and alone: with nobody listening a request allocates nothing more.
    private Task<ICacheReply> SendToClusterAsync(IClientCommand command, Guid requestId) =>
        ClientTelemetry.IsObserved ? ClientTelemetry.ObserveAsync(command, requestId, SendToClusterAsync) : SendToClusterAsync(command, requestId, null);

    private Task<ICacheReply> SendToClusterAsync(IClientCommand command, Guid requestId, string? traceParent)
    {
        if (_options.Tls is not null && HandshakeFailure() is { } failure)
            return Task.FromException<ICacheReply>(failure);
        var completion = new TaskCompletionSource<ICacheReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _correlator.Tell(new RequestCorrelator.Outgoing(command, completion, requestId, traceParent));
        return _options.Tls is null ? completion.Task : FailFastAsync(completion.Task);
    }

    // Under TLS the system may stop under a request (a handshake failed meanwhile): the request then
    // fails with the cause at once, whether the correlator saw it (ObjectDisposedException) or not.
    private async Task<ICacheReply> FailFastAsync(Task<ICacheReply> reply)
    {
        await Task.WhenAny(reply, _system.WhenTerminated).ConfigureAwait(false);
        if (!reply.IsCompleted && HandshakeFailure() is null)
            await Task.WhenAny(reply, Task.Delay(_options.RequestTimeout)).ConfigureAwait(false);
        if (reply.IsCompletedSuccessfully)
            return reply.Result;
        if (HandshakeFailure() is { } failure)
            throw failure;
        if (!reply.IsCompleted)
            throw new ObjectDisposedException(nameof(DistCacheClient));
        return await reply.ConfigureAwait(false);
    }

    /// <summary>The terminal error once a TLS handshake failed (the probe saw it, or Akka.Remote stopped the system for it).</summary>
    private DistCacheConnectionException? HandshakeFailure()
    {
        if (_failure is null && AkkaTls.FailedHandshake(_system))
            Fail(new DistCacheConnectionException(
                $"The TLS handshake with the cluster (contact points {string.Join(", ", _options.ContactPoints)}) failed, and Akka.Remote stopped the client's actor system. " +
                CheckCertificates));
        return _failure;
    }

    private void OnSystemTerminated() => HandshakeFailure();

    private static TReply Expect<TReply>(ICacheReply reply) where TReply : ICacheReply => reply switch
    {
        TReply expected => expected,
        Rejected rejected => throw DistCacheException.From(rejected),
        _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
    };

    /// <summary>What an actor system needs to host a client: our serializers, ClusterClient's and pub-sub's
    /// serializer bindings and the frame size for the largest value.</summary>
    internal static Config SharedSystemConfig(DistCacheClientOptions options) =>
        WireConfig.Build(options.MaxValueBytes)
            .WithFallback(ClusterClientReceptionist.DefaultConfig())
            .WithFallback(DistributedPubSub.DefaultConfig());

    /// <summary>The configuration of the client's own actor system (when no application system hosts it).</summary>
    internal static Config BuildConfig(DistCacheClientOptions options) =>
        ConfigurationFactory.ParseString($$"""
            akka {
              # A library stays quiet: failures reach the caller as typed exceptions, and losing the
              # cluster as one warning through DistCacheClientOptions.Logger plus ConnectionLost.
              loglevel = OFF
              stdout-loglevel = OFF
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor.provider = remote
              remote.dot-netty.tcp { hostname = {{WireConfig.Quote(options.Hostname)}}, port = 0 }
              remote.log-remote-lifecycle-events = off
              cluster.client {
                buffer-size = 10000
                establishing-get-contacts-interval = 1s
                refresh-contacts-interval = 5s
                # Notice a dead contact node within seconds and move to another one.
                heartbeat-interval = 1s
                acceptable-heartbeat-pause = 3s
              }
            }
            """)
            // The client's own system: a node reaches no JSON serializer in it either.
            .WithFallback(WireConfig.OwnSystemOnly)
            // Loaded before the system starts so ClusterClient's and pub-sub's own serializers are bound;
            // without them the Send envelope would fall back to System.Object's serializer.
            .WithFallback(SharedSystemConfig(options));
}
