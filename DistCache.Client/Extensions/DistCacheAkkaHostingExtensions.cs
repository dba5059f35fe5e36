using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using DistCache.Client;
using Microsoft.Extensions.DependencyInjection;

// Beside Akka.Hosting's own builder extensions.
namespace Akka.Hosting;

/// <summary>For applications that already run Akka.NET with Akka.Hosting: one builder call adds a
/// DistCache client to the application's own actor system.</summary>
public static class DistCacheAkkaHostingExtensions
{
    private static readonly ConditionalWeakTable<ActorSystem, DistCacheClient> Clients = new();

    /// <summary>Adds a DistCache client to this actor system; reach it with <see cref="DistCache(ActorSystem)"/>.
    /// A system without remoting gets it (127.0.0.1, a free port), since the client talks to the cluster
    /// over Akka.Remote. DistCache's messages use their own restricted serializer and leave the
    /// application's serialization alone.</summary>
    public static AkkaConfigurationBuilder WithDistCacheClient(this AkkaConfigurationBuilder builder, Action<DistCacheClientOptionsBuilder>? configure = null)
    {
        var options = new DistCacheClientOptionsBuilder();
        configure?.Invoke(options);
        var built = options.Build();

        if (!builder.ActorRefProvider.HasValue)
        {
            builder.WithActorRefProvider(ProviderSelection.Remote.Instance);
            builder.AddHocon(ConfigurationFactory.ParseString(
                $"akka.remote.dot-netty.tcp {{ hostname = \"{built.Hostname}\", port = 0 }}"), HoconAddMode.Append);
        }
        builder.AddHocon(DistCacheClient.SharedSystemConfig(built), HoconAddMode.Append);
        builder.WithActors((system, _) => Clients.AddOrUpdate(system, new DistCacheClient(built, system)));
        return builder;
    }

    /// <summary>The client <see cref="WithDistCacheClient"/> added to this system.</summary>
    public static DistCacheClient DistCache(this ActorSystem system) =>
        Clients.TryGetValue(system, out var client)
            ? client
            : throw new InvalidOperationException("No DistCache client in this actor system: call WithDistCacheClient(…) in AddAkka.");
}
