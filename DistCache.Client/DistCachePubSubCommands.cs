using Akka.Actor;
using System.Text;
using DistCache.Client.Collections;
using DistCache.Client.PubSub;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Pub/sub on <see cref="DistCacheClient"/>, on the same channels as the nodes' Redis endpoint: a message
/// published here reaches redis-cli's SUBSCRIBE on any node, and one published with redis-cli reaches a
/// subscription here. Channels and patterns are byte strings, as Redis's. Delivery is at most once, as in
/// Redis: see the README's pub/sub section for what a node failure loses.</summary>
public static class DistCachePubSubCommands
{
    /// <summary>PUBLISH: sends <paramref name="message"/> to every subscriber of <paramref name="channel"/> in the
    /// cluster and returns how many subscribers on the receiving node got it (as Redis Cluster counts: the
    /// subscribers of the other nodes are not counted).</summary>
    public static Task<long> PublishAsync(this DistCacheClient client, CacheKey channel, string message) =>
        PublishAsync(client, channel, Encoding.UTF8.GetBytes(message ?? throw new ArgumentNullException(nameof(message))));

    public static async Task<long> PublishAsync(this DistCacheClient client, CacheKey channel, byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (channel.IsNull)
            throw new ArgumentNullException(nameof(channel));
        return Replies.Expect<CounterValue>(await client.ExecuteAsync(new PublishMessage(channel, message)).ConfigureAwait(false)).Value;
    }

    /// <summary>SUBSCRIBE: returns once the cluster delivers messages on <paramref name="channels"/> to this client;
    /// read them from the subscription, dispose it to unsubscribe.</summary>
    public static Task<DistCacheSubscription> SubscribeAsync(this DistCacheClient client, params CacheKey[] channels) =>
        SubscribeAsync(client, channels, []);

    /// <summary>PSUBSCRIBE: as <see cref="SubscribeAsync(DistCacheClient, CacheKey[])"/>, for every channel matching
    /// one of the glob <paramref name="patterns"/> (<c>news.*</c>; Redis's <c>*</c>, <c>?</c>, <c>[...]</c>, <c>\</c>).
    /// A message matching two patterns arrives once for each, as in Redis.</summary>
    public static Task<DistCacheSubscription> SubscribePatternAsync(this DistCacheClient client, params CacheKey[] patterns) =>
        SubscribeAsync(client, [], patterns);

    private static async Task<DistCacheSubscription> SubscribeAsync(DistCacheClient client, CacheKey[] channels, CacheKey[] patterns)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(patterns);
        if (channels.Length + patterns.Length == 0)
            throw new ArgumentException("Name at least one channel or pattern");
        if (channels.Concat(patterns).Any(name => name.IsNull))
            throw new ArgumentNullException(nameof(channels), "A channel or pattern is null");
        var subscription = new DistCacheSubscription(client.Subscriptions, channels.Distinct().ToArray(), patterns.Distinct().ToArray(),
            client.Options.SubscriptionBuffer);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Subscriptions.Tell(new SubscriptionKeeper.Subscribe(subscription, done));
        try
        {
            // The keeper fails an ungranted subscribe at the request timeout (checked each renewal); this wait is
            // for a client whose keeper is gone (disposed, or stopped by a failed TLS handshake).
            await done.Task.WaitAsync(client.Options.RequestTimeout + ClientSubscriptions.RenewInterval * 2).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(DistCacheClient));
        }
        return subscription;
    }
}
