using System.Collections.Immutable;
using System.Text;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Actors.Protocol;

namespace DistCache.Client;

/// <summary>A connection to a DistCache cluster. Create one per application and share it: it is
/// thread-safe, and all its requests travel through one ClusterClient.</summary>
public sealed class DistCacheClient : IAsyncDisposable, IDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _correlator;
    private readonly DistCacheClientOptions _options;

    public DistCacheClient(DistCacheClientOptions options)
    {
        if (options.ContactPoints.Count == 0)
            throw new ArgumentException("At least one contact point (host:port) is required", nameof(options));
        _options = options;

        var contacts = options.ContactPoints.Select(ReceptionistPath).ToArray();
        _system = ActorSystem.Create("distcache-client", WireConfig.Setup(BuildConfig(options)));
        var settings = ClusterClientSettings.Create(_system)
            .WithInitialContacts(contacts.Select(ActorPath.Parse).ToImmutableHashSet());
        var clusterClient = _system.ActorOf(ClusterClient.Props(settings), "cluster-client");
        _correlator = _system.ActorOf(
            RequestCorrelator.Props(clusterClient, options.RequestTimeout, options.RetryInterval, string.Join(", ", options.ContactPoints)),
            "requests");
    }

    public DistCacheClient(params string[] contactPoints)
        : this(new DistCacheClientOptions { ContactPoints = contactPoints.Length > 0 ? contactPoints : ["127.0.0.1:4053"] })
    {
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing any value it had.</summary>
    public async Task SetAsync<T>(string key, T value)
    {
        CheckKey(key);
        var encoded = ValueCodec.Encode(value);
        if (encoded.Size > _options.MaxValueBytes)
            throw new ValueTooLargeException($"ERR value is {encoded.Size} bytes, over the client's limit of {_options.MaxValueBytes} bytes");
        Expect<Stored>(await SendAsync(new SetValue(key, encoded)).ConfigureAwait(false));
    }

    /// <summary>The value of <paramref name="key"/>, or <c>default</c> when it is missing
    /// (use <see cref="TryGetAsync{T}"/> to tell a missing key from a stored default).</summary>
    public async Task<T?> GetAsync<T>(string key)
    {
        var (found, value) = await TryGetAsync<T>(key).ConfigureAwait(false);
        return found ? value : default;
    }

    public async Task<(bool Found, T? Value)> TryGetAsync<T>(string key)
    {
        var raw = await GetRawAsync(key).ConfigureAwait(false);
        return raw is null ? (false, default) : (true, ValueCodec.Decode<T>(raw));
    }

    /// <summary>The stored bytes and their type tag, or null when the key is missing.</summary>
    public async Task<CacheValue?> GetRawAsync(string key)
    {
        CheckKey(key);
        return Expect<Found>(await SendAsync(new GetValue(key)).ConfigureAwait(false)).Value;
    }

    /// <summary>Removes the key; true when it existed.</summary>
    public async Task<bool> DeleteAsync(string key)
    {
        CheckKey(key);
        return Expect<Deleted>(await SendAsync(new DeleteKey(key)).ConfigureAwait(false)).Existed;
    }

    public async Task<bool> ExistsAsync(string key)
    {
        CheckKey(key);
        return Expect<Existence>(await SendAsync(new KeyExists(key)).ConfigureAwait(false)).Exists;
    }

    /// <summary>Adds <paramref name="by"/> to the 64-bit integer at <paramref name="key"/> (a missing key
    /// counts as 0) and returns the new value, atomically.</summary>
    public async Task<long> IncrementAsync(string key, long by = 1)
    {
        CheckKey(key);
        return Expect<CounterValue>(await SendAsync(new IncrementBy(key, by)).ConfigureAwait(false)).Value;
    }

    public Task<long> DecrementAsync(string key, long by = 1)
    {
        if (by == long.MinValue)
            throw new IntegerOverflowException("ERR decrement would overflow");
        return IncrementAsync(key, -by);
    }

    public async ValueTask DisposeAsync()
    {
        await _system.Terminate().ConfigureAwait(false);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private Task<ICacheReply> SendAsync(ICacheCommand command)
    {
        var completion = new TaskCompletionSource<ICacheReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _correlator.Tell(new RequestCorrelator.Outgoing(command, completion));
        return completion.Task;
    }

    private static TReply Expect<TReply>(ICacheReply reply) where TReply : ICacheReply => reply switch
    {
        TReply expected => expected,
        Rejected rejected => throw DistCacheException.From(rejected),
        _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
    };

    private void CheckKey(string key)
    {
        if (string.IsNullOrEmpty(key))
            throw new InvalidKeyException("ERR key must not be null or empty");
        var bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes > _options.MaxKeyBytes)
            throw new KeyTooLongException($"ERR key is {bytes} bytes, over the limit of {_options.MaxKeyBytes} bytes");
    }

    private static string ReceptionistPath(string contact)
    {
        if (!NodeConfigBuilder.TryParseHostPort(contact, out var host, out var port))
            throw new ArgumentException($"Contact point '{contact}' is not host:port");
        return $"akka.tcp://{NodeConfigBuilder.SystemName}@{host}:{port}/system/receptionist";
    }

    private static Config BuildConfig(DistCacheClientOptions options) =>
        ConfigurationFactory.ParseString($$"""
            akka {
              # A library stays quiet: failures reach the caller as typed exceptions.
              loglevel = ERROR
              stdout-loglevel = ERROR
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
            .WithFallback(WireConfig.Build(options.MaxValueBytes))
            // Loaded before the system starts so ClusterClient's and pub-sub's own serializers are bound;
            // without them the Send envelope falls back to JSON and inflates every value by a third.
            .WithFallback(ClusterClientReceptionist.DefaultConfig())
            .WithFallback(DistributedPubSub.DefaultConfig());
}
