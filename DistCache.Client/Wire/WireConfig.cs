using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;

namespace DistCache.Wire;

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
            """).WithFallback(EmbeddedHocon.Load(typeof(WireConfig).Assembly, "wire.conf"));
    }

    /// <summary>For an actor system DistCache owns (a node, a client's own system): Akka's JSON serializer
    /// replaced by <see cref="RefusingJsonSerializer"/>, its Protobuf one by <see cref="ProtobufMessagesOnlySerializer"/>,
    /// and no fallback for unbound types, so a peer cannot have either create a type it names. Kept out of
    /// <see cref="Build"/>, which an application's own actor system also loads to host a client.</summary>
    public static Config OwnSystemOnly => EmbeddedHocon.Load(typeof(WireConfig).Assembly, "wire-strict.conf");

    public static ActorSystemSetup Setup(Config config, params Setup?[] more) =>
        ActorSystemSetup.Create([BootstrapSetup.Create().WithConfig(config), .. more.OfType<Setup>()]);

    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
