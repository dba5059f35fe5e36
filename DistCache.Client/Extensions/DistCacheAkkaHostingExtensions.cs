using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using DistCache.Client;
using DistCache.Security;
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
    /// application's serialization alone. For a cluster whose nodes run TLS, use
    /// <see cref="WithDistCacheClientOverTls"/>: TLS changes the whole actor system, so it is never switched on
    /// from configuration alone (a <c>DistCache:Tls</c> section here is an error).</summary>
    public static AkkaConfigurationBuilder WithDistCacheClient(this AkkaConfigurationBuilder builder, Action<DistCacheClientOptionsBuilder>? configure = null)
    {
        var options = new DistCacheClientOptionsBuilder();
        configure?.Invoke(options);
        if (options.Tls is not null)
            throw new InvalidOperationException(
                "DistCache:Tls is set, but WithDistCacheClient does not switch the application's actor system to TLS on its own: call " +
                "WithDistCacheClientOverTls(tls, …) to accept what that does to the system, or use AddDistCache, whose client has an actor system of its own.");
        return Add(builder, options.Build());
    }

    /// <summary>Adds a DistCache client to this actor system for a cluster whose nodes run TLS. This is an
    /// explicit opt-in because TLS is a property of the whole actor system, not of the client: <b>all</b> of the
    /// application's Akka.Remote traffic then uses <c>akka.ssl.tcp</c> with <paramref name="tls"/>'s certificate
    /// (its other remote peers must speak TLS with a certificate of the same CA), and any outbound TLS handshake
    /// that fails (a DistCache node refusing the certificate, or any other peer) makes Akka.Remote run
    /// CoordinatedShutdown and <b>stop the application's actor system</b>. The client then throws
    /// <see cref="DistCacheConnectionException"/> from every call. If that is not acceptable, use <c>AddDistCache</c>
    /// (the client's own actor system, whose failure stays inside the client).</summary>
    public static AkkaConfigurationBuilder WithDistCacheClientOverTls(this AkkaConfigurationBuilder builder, DistCacheTlsOptions tls,
        Action<DistCacheClientOptionsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var options = new DistCacheClientOptionsBuilder();
        configure?.Invoke(options);
        options.Tls = tls;
        var material = tls.Load();
        builder.AddHocon(AkkaTls.Hocon, HoconAddMode.Prepend);
        builder.AddSetup(AkkaTls.Setup(material));
        return Add(builder, options.Build());
    }

    private static AkkaConfigurationBuilder Add(AkkaConfigurationBuilder builder, DistCacheClientOptions built)
    {
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
