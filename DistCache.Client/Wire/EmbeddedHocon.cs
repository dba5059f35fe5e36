using System.Reflection;
using Akka.Configuration;

namespace DistCache.Wire;

/// <summary>The HOCON files under <c>hocon/</c>, embedded in the assemblies that use them (wire.conf in the
/// client, the rest in the node), so a packaged host or client needs no files beside it.</summary>
public static class EmbeddedHocon
{
    public static Config Load(Assembly from, string fileName)
    {
        var name = "DistCache.hocon." + fileName;
        using var stream = from.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded HOCON '{name}' is missing from {from.GetName().Name}");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
