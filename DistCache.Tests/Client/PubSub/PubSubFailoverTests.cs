using System.Collections.Concurrent;
using System.Text;
using DistCache.Client;
using DistCache.Tests.Support;

namespace DistCache.Tests.Client.PubSub;

/// <summary>A subscriber whose node crashes: its client moves to another node, the next lease registers there,
/// and messages flow again, once each and in order. What was published while no node held the lease is lost.</summary>
public sealed class PubSubFailoverTests
{
    [Fact]
    public async Task When_the_node_holding_a_subscription_crashes_the_client_receives_again_through_another_node()
    {
        await using var cluster = TestCluster.OnSqlite();
        for (var i = 0; i < 3; i++)
            await cluster.StartNodeAsync();
        await using var client = cluster.Connect(TimeSpan.FromSeconds(30));
        const string channel = "failover";
        await using var subscription = await client.SubscribeAsync(channel);
        var received = new ConcurrentQueue<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var message in subscription)
                received.Enqueue(message.Text);
        });

        var holder = cluster.Nodes.Single(n => n.Node.PubSub.CountSubscribers(channel, false) > 0).Node;
        var publisher = cluster.Nodes.First(n => n.Node != holder).Node;
        publisher.PubSub.Publish(channel, "before"u8.ToArray(), sharded: false);
        await Eventually.TrueAsync(() => Task.FromResult(received.Contains("before")), "the first message arrived", TimeSpan.FromSeconds(30));

        await TestCluster.CrashAsync(holder);

        // Published from a surviving node until one arrives: those published before the lease reaches a live node are lost.
        var sent = 0;
        await Eventually.TrueAsync(() =>
        {
            publisher.PubSub.Publish(channel, Encoding.UTF8.GetBytes("after " + sent++), sharded: false);
            return Task.FromResult(received.Any(m => m.StartsWith("after ", StringComparison.Ordinal)));
        }, "a message published after the crash arrived", TimeSpan.FromSeconds(60));
        var newHolder = Assert.Single(cluster.LiveNodes, n => n.PubSub.CountSubscribers(channel, false) > 0);
        Assert.NotSame(holder, newHolder);

        for (var i = 0; i < 50; i++)
            publisher.PubSub.Publish(channel, Encoding.UTF8.GetBytes("later " + i), sharded: false);
        await Eventually.TrueAsync(() => Task.FromResult(received.Contains("later 49")), "every later message arrived", TimeSpan.FromSeconds(30));

        var after = received.Where(m => m.StartsWith("after ", StringComparison.Ordinal)).Select(m => int.Parse(m["after ".Length..])).ToArray();
        Assert.Equal(after.Order(), after);
        Assert.Equal(after.Distinct().Count(), after.Length);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => "later " + i), received.Where(m => m.StartsWith("later ", StringComparison.Ordinal)));
        Assert.Equal(1, received.Count(m => m == "before"));

        await subscription.DisposeAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
