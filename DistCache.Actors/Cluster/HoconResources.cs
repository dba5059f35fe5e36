using Akka.Configuration;

namespace DistCache.Actors.Cluster;

/// <summary>The HOCON files under <c>hocon/</c>, embedded so a packaged host or client needs no files beside it.</summary>
public static class HoconResources
{
    public static Config Load(string fileName)
    {
        var name = "DistCache.hocon." + fileName;
        using var stream = typeof(HoconResources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded HOCON '{name}' is missing from the build");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
