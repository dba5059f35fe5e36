using DistCache.Client;
using DistCache.Protocol;

namespace DistCache.Actors.PubSub;

/// <summary>Who on this node listens to which channel: by name (SUBSCRIBE, and SSUBSCRIBE's shard channels,
/// kept apart as Redis keeps them) and by glob pattern (PSUBSCRIBE). Pure and not thread-safe: the
/// <see cref="PubSubBroker"/> guards it. Channels and patterns are byte strings (<see cref="CacheKey"/>).</summary>
public sealed class SubscriptionTable
{
    private readonly Dictionary<CacheKey, HashSet<ISubscriber>> _channels = [];
    private readonly Dictionary<CacheKey, HashSet<ISubscriber>> _shardChannels = [];
    private readonly Dictionary<CacheKey, HashSet<ISubscriber>> _patterns = [];

    public void Subscribe(ISubscriber subscriber, CacheKey channel, bool sharded) => Add(sharded ? _shardChannels : _channels, channel, subscriber);

    public void Unsubscribe(ISubscriber subscriber, CacheKey channel, bool sharded) => Remove(sharded ? _shardChannels : _channels, channel, subscriber);

    public void SubscribePattern(ISubscriber subscriber, CacheKey pattern) => Add(_patterns, pattern, subscriber);

    public void UnsubscribePattern(ISubscriber subscriber, CacheKey pattern) => Remove(_patterns, pattern, subscriber);

    /// <summary>Who gets a message on <paramref name="channel"/>: each subscriber by name once, and each
    /// subscriber once per pattern it holds that matches (Redis sends a pmessage per matching pattern).
    /// Shard channels have no patterns.</summary>
    public List<(ISubscriber Subscriber, CacheKey Pattern)> Recipients(CacheKey channel, bool sharded)
    {
        var recipients = new List<(ISubscriber, CacheKey)>();
        if ((sharded ? _shardChannels : _channels).TryGetValue(channel, out var named))
            recipients.AddRange(named.Select(s => (s, default(CacheKey))));
        if (!sharded)
        {
            foreach (var (pattern, subscribers) in _patterns)
            {
                if (KeyPattern.Matches(pattern.AsSpan(), channel.AsSpan()))
                    recipients.AddRange(subscribers.Select(s => (s, pattern)));
            }
        }
        return recipients;
    }

    /// <summary>PUBSUB CHANNELS / SHARDCHANNELS: the channels with at least one subscriber on this node,
    /// those matching <paramref name="pattern"/> when it is not the null key.</summary>
    public List<CacheKey> Channels(CacheKey pattern, bool sharded) =>
        (sharded ? _shardChannels : _channels).Keys.Where(c => pattern.IsNull || KeyPattern.Matches(pattern.AsSpan(), c.AsSpan())).ToList();

    /// <summary>PUBSUB NUMSUB / SHARDNUMSUB: subscribers of one channel by name on this node.</summary>
    public int CountSubscribers(CacheKey channel, bool sharded) =>
        (sharded ? _shardChannels : _channels).TryGetValue(channel, out var subscribers) ? subscribers.Count : 0;

    /// <summary>PUBSUB NUMPAT: distinct patterns subscribed on this node.</summary>
    public int PatternCount => _patterns.Count;

    private static void Add(Dictionary<CacheKey, HashSet<ISubscriber>> table, CacheKey name, ISubscriber subscriber)
    {
        if (!table.TryGetValue(name, out var subscribers))
            table[name] = subscribers = [];
        subscribers.Add(subscriber);
    }

    private static void Remove(Dictionary<CacheKey, HashSet<ISubscriber>> table, CacheKey name, ISubscriber subscriber)
    {
        if (table.TryGetValue(name, out var subscribers) && subscribers.Remove(subscriber) && subscribers.Count == 0)
            table.Remove(name);
    }
}
