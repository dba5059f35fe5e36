using System.Diagnostics;
using Akka.Configuration;
using DistCache.Client;
using DistCache.Tests.Support;

namespace DistCache.Tests.Client;

/// <summary>A client configured with one contact point, whose node dies right after the client's first
/// answer: the client must carry on through the nodes it learned of, not wait for the dead one.</summary>
public sealed class SingleContactTests
{
    // Each round crashes the node its new clients were given and starts a replacement, so one cluster serves
    // every round. A receptionist names each client one node (by a hash of the client's address, see below),
    // so each client has a one-in-three chance that the one node its ClusterClient knows is the one that
    // dies: with five clients a round, two rounds give today's race 98 chances in 100 to show.
    private const int Rounds = 2;
    private const int ClientsPerRound = 5;

    [Fact]
    public async Task A_client_whose_only_contact_crashes_right_after_its_first_answer_carries_on_through_the_others()
    {
        // A receptionist names one node to each client instead of up to three: in a 3-node cluster that is
        // what a larger cluster's receptionist does when the nodes it named die, or what the client knows
        // when it reached a node before that node saw the others.
        await using var cluster = TestCluster.OnSqlite(ConfigurationFactory.ParseString(
            "akka.cluster.client.receptionist.number-of-contacts = 1"));
        for (var i = 0; i < 3; i++)
            await cluster.StartNodeAsync();
        await using (var writer = cluster.Connect(TimeSpan.FromSeconds(30)))
        {
            for (var i = 0; i < 40; i++)
                await writer.SetAsync("c" + i, i);
        }

        for (var round = 0; round < Rounds; round++)
        {
            var (port, contact) = cluster.Nodes.Last(n => !n.Node.System.WhenTerminated.IsCompleted);
            var clients = Enumerable.Range(0, ClientsPerRound).Select(_ => new DistCacheClient(new DistCacheClientOptions
            {
                ContactPoints = [$"127.0.0.1:{port}"],
                RequestTimeout = TimeSpan.FromSeconds(40),
            })).ToArray();
            try
            {
                await Task.WhenAll(clients.Select((client, c) => client.SetAsync($"round{round}-{c}", c)));
                await TestCluster.CrashAsync(contact);

                var clock = Stopwatch.StartNew();
                await Task.WhenAll(clients.Select(async (client, c) =>
                {
                    for (var i = 0; i < 40; i++)
                        Assert.Equal(i, await client.GetAsync<int>("c" + i));
                    Assert.Equal(c, await client.GetAsync<int>($"round{round}-{c}"));
                }));
                Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(40));
            }
            finally
            {
                foreach (var client in clients)
                    await client.DisposeAsync();
            }

            await cluster.StartNodeAsync();
        }
    }

    [Fact]
    public async Task A_DNS_name_stands_for_every_address_it_resolves_to_and_is_resolved_again_when_none_answers()
    {
        await using var first = TestCluster.OnSqlite();
        await first.StartNodeAsync();
        var dns = new FakeDns();
        // One address of the name has no node behind it: every address is a contact, so the other serves.
        dns.Answer($"127.0.0.1:{FreePort.Next()}", $"127.0.0.1:{first.Nodes[0].Port}");
        await using var client = new DistCacheClient(new DistCacheClientOptions
        {
            ContactPoints = ["cache.test:4053"],
            ContactResolver = dns.ResolveAsync,
            RequestTimeout = TimeSpan.FromSeconds(40),
        });
        await client.SetAsync("dns", "first");
        Assert.Equal("first", await client.GetAsync<string>("dns"));

        // The whole cluster is replaced by another at another address (a redeployed Service): nothing the
        // client knew answers, the name is resolved again and names the new node.
        await first.StopAllAsync();
        await using var second = TestCluster.OnSqlite();
        await second.StartNodeAsync();
        var lookupsBefore = dns.Lookups;
        dns.Answer($"127.0.0.1:{second.Nodes[0].Port}");
        await client.SetAsync("dns", "second");
        Assert.Equal("second", await client.GetAsync<string>("dns"));
        Assert.True(dns.Lookups > lookupsBefore, "the name was resolved again");
        Assert.Contains($"akka.tcp://distcache@127.0.0.1:{second.Nodes[0].Port}", (await client.KnownContactsAsync()).Nodes);
    }

    /// <summary>A name server the test controls: every name answers the current list.</summary>
    private sealed class FakeDns
    {
        private volatile string[] _answer = [];
        private int _lookups;

        public int Lookups => Volatile.Read(ref _lookups);

        public void Answer(params string[] endpoints) => _answer = endpoints;

        public Task<IReadOnlyList<string>> ResolveAsync(string contact, CancellationToken cancellation)
        {
            Interlocked.Increment(ref _lookups);
            return Task.FromResult<IReadOnlyList<string>>(_answer);
        }
    }
}
