using YamlDotNet.RepresentationModel;

namespace DistCache.Tests.Deploy;

/// <summary>The DistCache container of deploy/'s StatefulSet: its labels, serve's flags (the image's entrypoint
/// is <c>DistCache.Host serve</c>, the pod's <c>args:</c> follow), ports, probes and mounts.</summary>
public sealed class NodePod
{
    public const string ContainerName = "distcache";

    private NodePod(ManifestObject statefulSet, YamlNode pod, YamlNode container)
    {
        StatefulSet = statefulSet;
        Pod = pod;
        Container = container;
    }

    public ManifestObject StatefulSet { get; }
    public YamlNode Pod { get; }
    public YamlNode Container { get; }

    public static NodePod From(Manifests manifests)
    {
        var statefulSet = manifests.Single("StatefulSet");
        var pod = Yaml.At(statefulSet.Root, "spec", "template", "spec");
        var container = Yaml.List(pod, "containers").SingleOrDefault(c => Yaml.Text(c, "name") == ContainerName)
            ?? throw new Xunit.Sdk.XunitException($"{statefulSet} has no container named {ContainerName}");
        return new NodePod(statefulSet, pod, container);
    }

    public IReadOnlyDictionary<string, string> Labels => Yaml.Labels(StatefulSet.Root, "spec", "template", "metadata", "labels");

    public IReadOnlyList<string> Args => Yaml.List(Container, "args").Select(a => ((YamlScalarNode)a).Value!).ToArray();

    /// <summary>The flags in order with the value after each: every serve flag deploy/ uses takes one.</summary>
    public IReadOnlyList<(string Flag, string Value)> Flags
    {
        get
        {
            var args = Args;
            var flags = new List<(string, string)>();
            for (var i = 0; i < args.Count; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new Xunit.Sdk.XunitException($"args of {StatefulSet}: expected a flag and its value at '{args[i]}'");
                flags.Add((args[i], args[i + 1]));
            }
            return flags;
        }
    }

    public string Flag(string name) =>
        Flags.Where(f => f.Flag == name).Select(f => f.Value).SingleOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"args of {StatefulSet} do not give {name} (once)");

    public IReadOnlyDictionary<string, int> Ports =>
        Yaml.List(Container, "ports").ToDictionary(p => Yaml.Text(p, "name"), p => int.Parse(Yaml.Text(p, "containerPort"), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The folder a volume of the pod is mounted at in the container.</summary>
    public string MountPathOf(YamlNode volume)
    {
        var name = Yaml.Text(volume, "name");
        return Yaml.List(Container, "volumeMounts").Where(m => Yaml.Text(m, "name") == name).Select(m => Yaml.Text(m, "mountPath")).SingleOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"volume {name} is not mounted in the {ContainerName} container");
    }

    /// <summary>The pod's volume of the given source kind (secret, configMap) whose mount holds <paramref name="file"/>.</summary>
    public (YamlNode Volume, string Key) VolumeHolding(string file, string source)
    {
        foreach (var volume in Yaml.List(Pod, "volumes"))
        {
            if (Yaml.Find(volume, source) is null)
                continue;
            var folder = MountPathOf(volume).TrimEnd('/') + "/";
            if (file.StartsWith(folder, StringComparison.Ordinal) && !file[folder.Length..].Contains('/'))
                return (volume, file[folder.Length..]);
        }
        throw new Xunit.Sdk.XunitException($"{file} is in no mounted {source} volume of {StatefulSet}");
    }
}
