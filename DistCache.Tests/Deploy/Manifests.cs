using DistCache.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace DistCache.Tests.Deploy;

/// <summary>Every Kubernetes object in the repository's deploy/ folder, parsed from its YAML (every document of
/// every *.yaml file), with the few look-ups the manifest tests need.</summary>
public sealed class Manifests
{
    private Manifests(IReadOnlyList<ManifestObject> objects) => Objects = objects;

    public IReadOnlyList<ManifestObject> Objects { get; }

    public static string Folder => Path.Combine(PostgresServer.RepositoryRoot(), "deploy");

    public static Manifests Load()
    {
        var objects = new List<ManifestObject>();
        foreach (var file in Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
                stream.Load(reader);
            foreach (var document in stream.Documents)
                if (document.RootNode is YamlMappingNode root && root.Children.Count > 0)
                    objects.Add(new ManifestObject(Path.GetFileName(file), root));
        }
        return new Manifests(objects);
    }

    public IEnumerable<ManifestObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public ManifestObject Single(string kind) =>
        OfKind(kind).SingleOrDefault() ?? throw new Xunit.Sdk.XunitException($"deploy/ holds no {kind}, or more than one");

    public ManifestObject Named(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => o.Name == name) ?? throw new Xunit.Sdk.XunitException($"deploy/ holds no {kind} named {name}");
}

/// <summary>One object (one YAML document) and the file it came from.</summary>
public sealed record ManifestObject(string File, YamlMappingNode Root)
{
    public string Kind => Yaml.Text(Root, "kind");
    public string Name => Yaml.Text(Root, "metadata", "name");
    public override string ToString() => $"{Kind}/{Name} ({File})";
}

/// <summary>Paths into a parsed document; a missing key fails the test with the path that was asked for.</summary>
public static class Yaml
{
    public static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
                throw new Xunit.Sdk.XunitException($"no '{string.Join('.', path)}' in the manifest (stopped at '{key}')");
            node = child;
        }
        return node;
    }

    public static YamlNode? Find(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
                return null;
            node = child;
        }
        return node;
    }

    public static string Text(YamlNode node, params string[] path) =>
        At(node, path) is YamlScalarNode { Value: { } value } ? value : throw new Xunit.Sdk.XunitException($"'{string.Join('.', path)}' is not a scalar");

    public static IReadOnlyList<YamlNode> List(YamlNode node, params string[] path) =>
        At(node, path) is YamlSequenceNode sequence ? sequence.Children.ToList() : throw new Xunit.Sdk.XunitException($"'{string.Join('.', path)}' is not a list");

    public static IReadOnlyDictionary<string, string> Labels(YamlNode node, params string[] path) =>
        ((YamlMappingNode)At(node, path)).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);
}
