using DistCache.Client.PubSub;
using DistCache.Protocol;

namespace DistCache.Tests.Client.PubSub;

/// <summary>The client's side of a lease: what it asks for, which grant it follows, and who gets each delivery.
/// Deliveries from a node other than the one that granted the newest lease are dropped, so a lease moving
/// between nodes never delivers a message twice.</summary>
public sealed class SubscriptionSetTests
{
    private sealed class Sink(CacheKey[] channels, CacheKey[] patterns) : ISubscriptionSink
    {
        public List<DistCacheMessage> Received { get; } = [];
        public CacheKey[] Channels => channels;
        public CacheKey[] Patterns => patterns;
        public void Deliver(DistCacheMessage message) => Received.Add(message);
        public void Complete() { }
    }

    private readonly SubscriptionSet _set = new();

    private static ClientDelivery Message(long registration, string channel, string text, string? pattern = null) =>
        new(registration, channel, pattern, System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public void A_lease_holds_every_channel_and_pattern_once_and_each_lease_has_a_larger_sequence()
    {
        _set.Add(new Sink(["a", "b"], []));
        _set.Add(new Sink(["b"], ["n*"]));

        var first = _set.NextLease();
        var second = _set.NextLease();

        Assert.Equal(["a", "b"], first.Channels.Select(c => c.ToString()).Order());
        Assert.Equal(["n*"], first.Patterns.Select(p => p.ToString()));
        Assert.True(second.Sequence > first.Sequence);
        Assert.Equal(first.SubscriberId, second.SubscriberId);
    }

    [Fact]
    public void A_subscription_is_confirmed_by_the_grant_of_a_lease_that_holds_it_and_not_before()
    {
        var early = new Sink(["a"], []);
        _set.Add(early);
        var lease1 = _set.NextLease();
        var late = new Sink(["b"], []);
        _set.Add(late);
        var lease2 = _set.NextLease();

        Assert.Equal([early], _set.Granted(new SubscriptionsGranted(lease1.Sequence, 7)));
        Assert.Equal([late], _set.Granted(new SubscriptionsGranted(lease2.Sequence, 7)));
        Assert.Empty(_set.Waiting);
    }

    [Fact]
    public void Only_the_node_that_granted_the_newest_lease_is_listened_to()
    {
        var sink = new Sink(["a"], []);
        _set.Add(sink);
        var onA = _set.NextLease();
        _set.Granted(new SubscriptionsGranted(onA.Sequence, 100));
        Assert.Equal(1, _set.Deliver(Message(100, "a", "from A")));

        // The lease moved to node B; A still holds a registration until it lapses and sends the same messages.
        var onB = _set.NextLease();
        _set.Granted(new SubscriptionsGranted(onB.Sequence, 200));
        Assert.Equal(0, _set.Deliver(Message(100, "a", "again from A")));
        Assert.Equal(1, _set.Deliver(Message(200, "a", "from B")));

        // A's grant of an older lease, arriving late, does not turn the client back to A.
        _set.Granted(new SubscriptionsGranted(onA.Sequence, 100));
        Assert.Equal(0, _set.Deliver(Message(100, "a", "late from A")));
        Assert.Equal(["from A", "from B"], sink.Received.Select(m => m.Text));
    }

    [Fact]
    public void Nothing_is_delivered_before_a_grant_nor_to_a_removed_subscription()
    {
        var sink = new Sink(["a"], []);
        _set.Add(sink);
        Assert.Equal(0, _set.Deliver(Message(0, "a", "no grant yet")));
        _set.Granted(new SubscriptionsGranted(_set.NextLease().Sequence, 5));

        _set.Remove(sink);

        Assert.Equal(0, _set.Deliver(Message(5, "a", "after remove")));
        Assert.Empty(_set.NextLease().Channels);
        Assert.Empty(sink.Received);
    }

    [Fact]
    public void A_delivery_by_name_reaches_the_channel_holders_and_one_by_pattern_the_pattern_holders()
    {
        var byName = new Sink(["news.a"], []);
        var byPattern = new Sink([], ["news.*"]);
        _set.Add(byName);
        _set.Add(byPattern);
        _set.Granted(new SubscriptionsGranted(_set.NextLease().Sequence, 9));

        _set.Deliver(Message(9, "news.a", "one"));
        _set.Deliver(Message(9, "news.a", "two", pattern: "news.*"));

        Assert.Equal(["one"], byName.Received.Select(m => m.Text));
        var matched = Assert.Single(byPattern.Received);
        Assert.Equal(("news.a", "news.*", "two"), (matched.Channel.ToString(), matched.Pattern.ToString(), matched.Text));
        Assert.True(byName.Received[0].Pattern.IsNull);
    }
}
