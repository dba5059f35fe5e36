using Akka.Configuration;
using DistCache.Wire;

namespace DistCache.Actors.Cluster;

/// <summary>The node's HOCON files under <c>hocon/</c>, embedded in this assembly.</summary>
public static class HoconResources
{
    public static Config Load(string fileName) => EmbeddedHocon.Load(typeof(HoconResources).Assembly, fileName);

    /// <summary>What a node's actor system needs on top of the wire settings clients share: the storage
    /// serializer, and no JSON serializer for peers to reach.</summary>
    public static Config NodeWire(int maxValueBytes) =>
        Load("serialization.conf").WithFallback(WireConfig.OwnSystemOnly).WithFallback(WireConfig.Build(maxValueBytes));
}
