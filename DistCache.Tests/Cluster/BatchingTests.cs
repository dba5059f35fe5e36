using DistCache.Wire;
using System.Text;
using Akka.Actor;
using DistCache.Actors.Gateway;
using DistCache.Protocol;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>Requests a client sends together are answered one by one, and the replies that are ready at
/// the same moment travel back together.</summary>
[Collection(NodeCollection.Name)]
public sealed class BatchingTests(NodeFixture node)
{
    [Fact]
    public async Task A_request_batch_gets_every_answer_and_the_answers_come_back_batched()
    {
        var gateway = await node.Node.System.ActorSelection(GatewayActor.Path).ResolveOne(TimeSpan.FromSeconds(10));
        var inbox = Inbox.Create(node.Node.System);
        const int count = 200;

        var sets = Enumerable.Range(1, count)
            .Select(i => new ClientRequest(i, new SetValue("batch:" + i, new CacheValue(ValueKind.String, Encoding.UTF8.GetBytes("v" + i))), Guid.NewGuid()))
            .ToArray();
        inbox.Send(gateway, new ClientRequestBatch(sets));
        var (setReplies, setMessages) = Collect(inbox, count);
        Assert.All(setReplies.Values, reply => Assert.Equal(Stored.Instance, reply));

        // A rejected request inside a batch is answered too, without harming its neighbours.
        var gets = Enumerable.Range(1, count).Select(i => new ClientRequest(1000 + i, new GetValue("batch:" + i)))
            .Append(new ClientRequest(5000, new GetValue("")))
            .ToArray();
        inbox.Send(gateway, new ClientRequestBatch(gets));
        var (getReplies, getMessages) = Collect(inbox, count + 1);
        for (var i = 1; i <= count; i++)
            Assert.Equal("v" + i, Encoding.UTF8.GetString(Assert.IsType<Found>(getReplies[1000 + i]).Value!.Data));
        Assert.IsType<Rejected>(getReplies[5000]);

        // Fewer messages than replies: some travelled together.
        Assert.True(setMessages < count, $"{setMessages} messages carried {count} SET replies");
        Assert.True(getMessages < count, $"{getMessages} messages carried {count + 1} GET replies");
    }

    [Fact]
    public async Task The_gateway_hashes_the_key_itself_whatever_partition_a_request_names()
    {
        var gateway = await node.Node.System.ActorSelection(GatewayActor.Path).ResolveOne(TimeSpan.FromSeconds(10));
        var inbox = Inbox.Create(node.Node.System);
        const string key = "routed-by-the-gateway";
        var wrong = (KeyHasher.PartitionOf(key, node.Node.Settings.Partitions) + 1) % node.Node.Settings.Partitions;
        inbox.Send(gateway, new ClientRequest(1, new SetValue(key, new CacheValue(ValueKind.String, "v"u8.ToArray())), Guid.NewGuid(), Partition: wrong));
        Assert.Equal(Stored.Instance, Collect(inbox, 1).Replies[1]);

        // Read back without naming a partition: the value is where the key hashes, not in the named one.
        inbox.Send(gateway, new ClientRequest(2, new GetValue(key)));
        Assert.Equal("v", Encoding.UTF8.GetString(Assert.IsType<Found>(Collect(inbox, 1).Replies[2]).Value!.Data));
    }

    private static (Dictionary<long, ICacheReply> Replies, int Messages) Collect(Inbox inbox, int expected)
    {
        var replies = new Dictionary<long, ICacheReply>();
        var messages = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (replies.Count < expected && DateTime.UtcNow < deadline)
        {
            messages++;
            switch (inbox.Receive(TimeSpan.FromSeconds(10)))
            {
                case ClientResponse single:
                    replies.Add(single.CorrelationId, single.Reply);
                    break;
                case ClientResponseBatch batch:
                    foreach (var response in batch.Responses)
                        replies.Add(response.CorrelationId, response.Reply);
                    break;
                case var other:
                    Assert.Fail($"unexpected {other}");
                    break;
            }
        }
        Assert.Equal(expected, replies.Count);
        return (replies, messages);
    }
}
