using DistCache.Actors.PubSub;
using DistCache.Protocol;

namespace DistCache.Tests.Resp.PubSub;

/// <summary>Who on a node gets a published message: subscribers by name once, by pattern once per matching
/// pattern, shard channels apart, and nothing left behind by unsubscribing.</summary>
public sealed class SubscriptionTableTests
{
    private sealed class Sink : ISubscriber
    {
        public void Deliver(CacheKey channel, byte[] message, CacheKey pattern, bool sharded) { }
    }

    private readonly SubscriptionTable _table = new();
    private readonly Sink _a = new();
    private readonly Sink _b = new();

    [Fact]
    public void A_message_goes_to_each_subscriber_by_name_and_once_per_matching_pattern()
    {
        _table.Subscribe(_a, "news", sharded: false);
        _table.Subscribe(_a, "news", sharded: false);
        _table.Subscribe(_b, "news", sharded: false);
        _table.SubscribePattern(_a, "n*");
        _table.SubscribePattern(_a, "ne?s");
        _table.SubscribePattern(_b, "x*");

        var recipients = _table.Recipients("news", sharded: false);

        Assert.Equal(4, recipients.Count);
        Assert.Equal(2, recipients.Count(r => r.Pattern.IsNull));
        Assert.Equal(["n*", "ne?s"], recipients.Where(r => !r.Pattern.IsNull).Select(r => r.Pattern.ToString()).Order());
        Assert.All(recipients.Where(r => !r.Pattern.IsNull), r => Assert.Same(_a, r.Subscriber));
    }

    [Fact]
    public void Shard_channels_are_a_namespace_of_their_own_without_patterns()
    {
        _table.Subscribe(_a, "orders", sharded: true);
        _table.SubscribePattern(_b, "*");

        Assert.Equal([(ISubscriber)_a], _table.Recipients("orders", sharded: true).Select(r => r.Subscriber));
        Assert.Equal([(ISubscriber)_b], _table.Recipients("orders", sharded: false).Select(r => r.Subscriber));
        Assert.Equal(["orders"], _table.Channels(default, sharded: true).Select(c => c.ToString()));
        Assert.Empty(_table.Channels(default, sharded: false));
    }

    [Fact]
    public void Channels_are_bytes_and_unsubscribing_leaves_nothing_behind()
    {
        var binary = new CacheKey([0xff, 0x00, 0x41]);
        _table.Subscribe(_a, binary, sharded: false);
        _table.Subscribe(_a, "a", sharded: false);
        _table.Subscribe(_b, "a", sharded: false);
        _table.SubscribePattern(_a, "a*");
        Assert.Single(_table.Recipients(new CacheKey([0xff, 0x00, 0x41]), sharded: false));
        Assert.Equal(2, _table.CountSubscribers("a", sharded: false));
        Assert.Equal(1, _table.PatternCount);

        _table.Unsubscribe(_a, binary, sharded: false);
        _table.Unsubscribe(_a, "a", sharded: false);
        _table.Unsubscribe(_b, "a", sharded: false);
        _table.UnsubscribePattern(_a, "a*");

        Assert.Empty(_table.Channels(default, sharded: false));
        Assert.Equal(0, _table.PatternCount);
        Assert.Empty(_table.Recipients("a", sharded: false));
    }

    [Fact]
    public void Channels_lists_those_matching_a_pattern()
    {
        _table.Subscribe(_a, "news.1", sharded: false);
        _table.Subscribe(_a, "news.2", sharded: false);
        _table.Subscribe(_a, "sport", sharded: false);
        Assert.Equal(["news.1", "news.2"], _table.Channels("news.*", sharded: false).Select(c => c.ToString()).Order());
    }
}
