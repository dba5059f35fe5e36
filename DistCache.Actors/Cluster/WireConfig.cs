using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Serialization.Hyperion;
using DistCache.Actors.Serialization;

namespace DistCache.Actors.Cluster;

/// <summary>Serialization and transport settings that nodes and clients must agree on.</summary>
public static class WireConfig
{
    // Room for the envelope around the largest value (key, ids, type manifests).
    private const int FrameOverheadBytes = 64 * 1024;

    public static Config Build(int maxValueBytes)
    {
        var frame = (long)maxValueBytes + FrameOverheadBytes;
        var buffer = Math.Max(frame, 256 * 1024);
        return ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp {
              maximum-frame-size = {{frame}}b
              send-buffer-size = {{buffer}}b
              receive-buffer-size = {{buffer}}b
            }
            """).WithFallback(HoconResources.Load("serialization.conf"));
    }

    /// <summary>The actor system set-up: the configuration plus Hyperion restricted to our protocol types.</summary>
    public static ActorSystemSetup Setup(Config config) =>
        BootstrapSetup.Create().WithConfig(config)
            .And(HyperionSerializerSetup.Empty.WithTypeFilter(ProtocolTypeFilter.Instance));

    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
