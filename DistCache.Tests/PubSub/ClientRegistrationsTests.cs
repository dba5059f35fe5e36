using Akka.Actor;
using DistCache.Actors.PubSub;
using DistCache.Protocol;

namespace DistCache.Tests.PubSub;

/// <summary>A node's side of the .NET clients' leases: a lease becomes exactly its channels and patterns on the
/// node's broker, the grant goes out before any message it grants, and a lapsed or empty lease leaves nothing.</summary>
public sealed class ClientRegistrationsTests
{
    private sealed class Recorder : ICanTell
    {
        public List<object> Told { get; } = [];
        public void Tell(object message, IActorRef sender) => Told.Add(message);
    }

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    private readonly PubSubBroker _broker = new();
    private readonly Guid _client = Guid.NewGuid();
    private long _registrations;
    private readonly ClientRegistrations _registrationsTable;

    public ClientRegistrationsTests() => _registrationsTable = new ClientRegistrations(_broker, Lease, () => ++_registrations);

    private ClientSubscriptions Lease_(long sequence, CacheKey[] channels, CacheKey[]? patterns = null) =>
        new(_client, sequence, channels, patterns ?? []);

    [Fact]
    public void The_grant_reaches_the_client_before_the_messages_it_grants()
    {
        var client = new Recorder();
        _registrationsTable.Renew(Lease_(1, ["news"], ["n*"]), client, nowMs: 0);

        Assert.Equal(2, _broker.Deliver("news", [1], sharded: false));

        Assert.Equal(new SubscriptionsGranted(1, 1), client.Told[0]);
        Assert.All(client.Told.Skip(1), m => Assert.Equal(1, Assert.IsType<ClientDelivery>(m).Registration));
        Assert.Equal([null, "n*"], client.Told.Skip(1).Cast<ClientDelivery>().Select(d => d.Pattern.IsNull ? null : d.Pattern.ToString()).Order());
    }

    [Fact]
    public void A_renewal_makes_the_registration_hold_exactly_its_lease_under_the_same_number()
    {
        var client = new Recorder();
        _registrationsTable.Renew(Lease_(1, ["a", "b"]), client, nowMs: 0);
        _registrationsTable.Renew(Lease_(2, ["b", "c"]), client, nowMs: 1000);

        Assert.Equal((0, 1, 1), (_broker.CountSubscribers("a", false), _broker.CountSubscribers("b", false), _broker.CountSubscribers("c", false)));
        Assert.Equal(new SubscriptionsGranted(2, 1), client.Told.OfType<SubscriptionsGranted>().Last());
        Assert.Equal(1, _registrationsTable.Count);
    }

    [Fact]
    public void An_empty_lease_and_a_lapsed_one_leave_nothing_on_the_broker()
    {
        var client = new Recorder();
        var other = Guid.NewGuid();
        _registrationsTable.Renew(Lease_(1, ["a"], ["p*"]), client, nowMs: 0);
        _registrationsTable.Renew(new ClientSubscriptions(other, 1, ["a"], []), client, nowMs: 0);
        _registrationsTable.Renew(Lease_(2, [], []), client, nowMs: 1000);
        Assert.Equal((1, 0), (_broker.CountSubscribers("a", false), _broker.PatternCount));

        Assert.Equal(0, _registrationsTable.Expire((long)Lease.TotalMilliseconds - 1));
        Assert.Equal(1, _registrationsTable.Expire((long)Lease.TotalMilliseconds));

        Assert.Equal((0, 0), (_broker.CountSubscribers("a", false), _registrationsTable.Count));
    }
}
