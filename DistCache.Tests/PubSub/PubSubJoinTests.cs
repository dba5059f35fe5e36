using System.Collections.Concurrent;
using System.Text;
using DistCache.Actors.PubSub;
using DistCache.Protocol;
using DistCache.Tests.Support;

namespace DistCache.Tests.PubSub;

/// <summary>A subscription made on a node the moment it is up receives what every other member publishes
/// from then on: the other members relay to it from the moment they know it is joining, not from the
/// moment they see it up (which may come later than the node itself does).</summary>
public sealed class PubSubJoinTests
{
    private sealed class Inbox : ISubscriber
    {
        public ConcurrentQueue<string> Got { get; } = new();

        public void Deliver(CacheKey channel, byte[] message, CacheKey pattern, bool sharded) =>
            Got.Enqueue(Encoding.UTF8.GetString(message));
    }

    [Fact]
    public async Task A_subscription_on_a_node_that_just_came_up_receives_what_every_member_publishes()
    {
        await using var cluster = TestCluster.OnSqlite();
        var older = new[] { await cluster.StartNodeAsync(), await cluster.StartNodeAsync() };
        var channel = new CacheKey("joined"u8.ToArray());
        var inbox = new Inbox();
        var newest = await cluster.StartNodeAsync();
        newest.PubSub.Subscribe(inbox, channel, sharded: false);

        for (var i = 0; i < older.Length; i++)
            older[i].PubSub.Publish(channel, Encoding.UTF8.GetBytes("from " + i), sharded: false);

        await Eventually.TrueAsync(() => Task.FromResult(inbox.Got.Count >= older.Length), "both members' messages arrived", TimeSpan.FromSeconds(10));
        Assert.Equal(["from 0", "from 1"], inbox.Got.Order());
    }
}
