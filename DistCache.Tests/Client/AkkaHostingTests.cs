using Akka.Actor;
using Akka.Hosting;
using DistCache.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DistCache.Tests.Client;

/// <summary>An application that already runs Akka.NET adds the client with one builder call.</summary>
[Collection(NodeCollection.Name)]
public sealed class AkkaHostingTests(NodeFixture node)
{
    [Fact]
    public async Task WithDistCacheClient_puts_a_working_client_in_the_applications_actor_system()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("my-app", builder => builder
                .WithDistCacheClient(o => o.ContactPoints.Add(node.Contact))))
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            Assert.Equal("my-app", system.Name);
            var client = system.DistCache();
            var key = Guid.NewGuid().ToString("N");
            await client.SetAsync(key, "from the app's own system");
            Assert.Equal("from the app's own system", await client.GetAsync<string>(key));
            Assert.Equal(1, await client.IncrementAsync(key + ":n"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void A_system_without_the_client_says_how_to_add_it()
    {
        using var system = ActorSystem.Create("plain");
        var error = Assert.Throws<InvalidOperationException>(() => system.DistCache());
        Assert.Contains("WithDistCacheClient", error.Message);
    }
}
