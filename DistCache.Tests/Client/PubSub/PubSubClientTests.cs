using System.Collections.Concurrent;
using DistCache.Actors.Cluster;
using DistCache.Client;
using DistCache.Client.PubSub;
using DistCache.Protocol;
using DistCache.Tests.Support;

namespace DistCache.Tests.Client.PubSub;

/// <summary>The .NET client's pub/sub on the shared 3-node cluster: messages cross nodes in publish order, by name
/// and by pattern, a disposed subscription gets nothing more and leaves nothing on the nodes, and redis-cli and
/// the client hear each other.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class PubSubClientTests(RespClusterFixture fixture)
{
    private const int Messages = 200;
    private readonly string _prefix = "cps:" + Guid.NewGuid().ToString("N")[..8] + ":";

    private DistCacheClient ConnectTo(int node) => new(new DistCacheClientOptions
    {
        ContactPoints = [$"127.0.0.1:{fixture.Cluster.Nodes[node].Port}"],
        RequestTimeout = TimeSpan.FromSeconds(30),
    });

    // Which node holds the client's registration for the channel (the node its ClusterClient reached).
    private int HolderOf(CacheKey channel) =>
        Assert.Single(Enumerable.Range(0, 3), i => fixture.Cluster.Nodes[i].Node.PubSub.CountSubscribers(channel, sharded: false) > 0);

    private static async Task<List<DistCacheMessage>> TakeAsync(DistCacheSubscription subscription, int count)
    {
        var taken = new List<DistCacheMessage>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var message in subscription.ReadAllAsync(patience.Token))
        {
            taken.Add(message);
            if (taken.Count == count)
                break;
        }
        return taken;
    }

    [Fact]
    public async Task Messages_published_through_one_node_reach_a_subscriber_on_another_in_publish_order()
    {
        var channel = _prefix + "orders";
        await using var subscriberClient = ConnectTo(0);
        await using var publisher = ConnectTo(1);
        await using var subscription = await subscriberClient.SubscribeAsync(channel);

        // In bursts over about 4 s, so the lease is renewed meanwhile: at every moment exactly one node holds the
        // client's registration (the lease stays with the ClusterClient's node). Each burst unawaited, so its
        // messages travel batched and pipelined, as a busy publisher's do.
        var counts = new List<long>();
        for (var burst = 0; burst < Messages / 10; burst++)
        {
            counts.AddRange(await Task.WhenAll(Enumerable.Range(burst * 10, 10).Select(i => publisher.PublishAsync(channel, i.ToString()))));
            HolderOf(channel);
            await Task.Delay(200);
        }

        var received = await TakeAsync(subscription, Messages);
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => i.ToString()), received.Select(m => m.Text));
        Assert.All(received, m => Assert.Equal(channel, m.Channel.ToString()));
        Assert.All(received, m => Assert.True(m.Pattern.IsNull));
        // Each count is the receiving node's subscribers: the subscriber's client where it holds its registration.
        Assert.Single(counts.Distinct());
        Assert.InRange(counts[0], 0, 1);
    }

    [Fact]
    public async Task A_pattern_subscription_gets_matching_channels_with_the_pattern_and_nothing_else()
    {
        await using var client = ConnectTo(2);
        await using var subscription = await client.SubscribePatternAsync(_prefix + "news.*");
        await using var publisher = ConnectTo(0);

        await publisher.PublishAsync(_prefix + "sports.x", "not this");
        await publisher.PublishAsync(_prefix + "news.eu", "first");
        await publisher.PublishAsync(_prefix + "news.us", [0xff, 0x00]);

        var received = await TakeAsync(subscription, 2);
        Assert.Equal([_prefix + "news.eu", _prefix + "news.us"], received.Select(m => m.Channel.ToString()));
        Assert.All(received, m => Assert.Equal(_prefix + "news.*", m.Pattern.ToString()));
        Assert.Equal("first", received[0].Text);
        Assert.Equal([0xff, 0x00], received[1].Payload);
    }

    [Fact]
    public async Task A_disposed_subscription_ends_and_the_node_drops_what_no_other_subscription_holds()
    {
        var kept = _prefix + "kept";
        var dropped = _prefix + "dropped";
        await using var client = ConnectTo(1);
        await using var keep = await client.SubscribeAsync(kept);
        var drop = await client.SubscribeAsync(dropped, kept);

        await drop.DisposeAsync();

        // The enumeration of the disposed one ends; the node no longer delivers its channel to this client.
        Assert.Empty(await TakeAsync(drop, 1));
        await Eventually.TrueAsync(() => Task.FromResult(fixture.Cluster.Nodes.All(n => n.Node.PubSub.CountSubscribers(dropped, false) == 0)),
            "no node holds the dropped channel", TimeSpan.FromSeconds(30));
        await client.PublishAsync(dropped, "nobody");
        await client.PublishAsync(kept, "still here");
        Assert.Equal(["still here"], (await TakeAsync(keep, 1)).Select(m => m.Text));
    }

    [Fact]
    public async Task Redis_cli_and_the_client_hear_each_other_and_publish_counts_the_receiving_node()
    {
        var channel = _prefix + "cli";
        await using var client = ConnectTo(0);
        await using var subscription = await client.SubscribeAsync(channel);
        var holder = HolderOf(channel);
        var other = (holder + 1) % 3;

        // redis-cli publishes on the node that holds the client's registration, then on another: each prints
        // its own node's count, as Redis Cluster does.
        Assert.Equal("1", await RedisCli.OutputAsync(fixture.Servers[holder].Port, null, "PUBLISH", channel, "from cli 1"));
        Assert.Equal("0", await RedisCli.OutputAsync(fixture.Servers[other].Port, null, "PUBLISH", channel, "from cli 2"));
        Assert.Equal(["from cli 1", "from cli 2"], (await TakeAsync(subscription, 2)).Select(m => m.Text));

        // And the other way: redis-cli subscribed on a node hears what the client publishes.
        var reply = _prefix + "reply";
        var printed = RedisCli.FirstLinesAsync(fixture.Servers[other].Port, 6, "SUBSCRIBE", reply);
        await Eventually.TrueAsync(() => Task.FromResult(fixture.Cluster.Nodes[other].Node.PubSub.CountSubscribers(reply, false) == 1),
            "redis-cli has subscribed", TimeSpan.FromSeconds(30));
        await client.PublishAsync(reply, "from dotnet");
        Assert.Equal(string.Join('\n', "subscribe", reply, "1", "message", reply, "from dotnet"), await printed);
    }
}
