using Akka.Actor;
using DistCache.Actors.PubSub;
using DistCache.Protocol;

namespace DistCache.Tests.PubSub;

/// <summary>The node's actor for the .NET clients' publishes: a retry of a publish (same request id) is answered
/// with the first count and not published again.</summary>
public sealed class ClientSubscriptionsActorTests : Akka.TestKit.Xunit2.TestKit
{
    private sealed class Counter : ISubscriber
    {
        public int Received;
        public void Deliver(CacheKey channel, byte[] message, CacheKey pattern, bool sharded) => Interlocked.Increment(ref Received);
    }

    [Fact]
    public void A_retried_publish_is_answered_with_the_first_count_and_delivered_once()
    {
        var broker = new PubSubBroker();
        var subscriber = new Counter();
        broker.Subscribe(subscriber, "news", sharded: false);
        var actor = Sys.ActorOf(ClientSubscriptionsActor.Props(broker));
        var request = new ClientRequest(1, new PublishMessage("news", [1]), Guid.NewGuid(), DateTimeOffset.UtcNow.AddSeconds(5).ToUnixTimeMilliseconds());

        actor.Tell(request, TestActor);
        actor.Tell(request with { CorrelationId = 2 }, TestActor);
        actor.Tell(new ClientRequest(3, new PublishMessage("news", [2]), Guid.NewGuid()), TestActor);

        Assert.Equal(new ClientResponse(1, new CounterValue(1)), ExpectMsg<ClientResponse>());
        Assert.Equal(new ClientResponse(2, new CounterValue(1)), ExpectMsg<ClientResponse>());
        Assert.Equal(new ClientResponse(3, new CounterValue(1)), ExpectMsg<ClientResponse>());
        Assert.Equal(2, subscriber.Received);
    }
}
