using System.Runtime.CompilerServices;
using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Wire;

/// <summary>Hyperion builds (and the JIT compiles) a serializer for each message type the first time it
/// meets one, which made the first requests after a start take seconds. Client and node run every protocol
/// type through the wire serializer once at start-up instead, off the request path.</summary>
public static class WireWarmUp
{
    public static Task RunAsync(ActorSystem system) => Task.Run(() => Run(system));

    /// <summary>Serializes and deserializes one instance of each protocol type; returns how many round-tripped.</summary>
    public static int Run(ActorSystem system)
    {
        var done = 0;
        foreach (var type in ProtocolTypes())
        {
            try
            {
                var sample = RuntimeHelpers.GetUninitializedObject(type);
                var serializer = system.Serialization.FindSerializerFor(sample);
                serializer.FromBinary(serializer.ToBinary(sample), type);
                done++;
            }
            catch (Exception)
            {
                // A warm-up only: a type whose empty instance does not round-trip is compiled on first use instead.
            }
        }
        return done;
    }

    private static IEnumerable<Type> ProtocolTypes() =>
        typeof(IDistCacheMessage).Assembly.GetTypes().Where(t =>
            t.IsPublic && t.Namespace == typeof(IDistCacheMessage).Namespace && t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false });
}
