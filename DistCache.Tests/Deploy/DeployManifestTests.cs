using System.CommandLine;
using System.Xml.Linq;
using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Host.Cli;
using DistCache.Host.Http;
using DistCache.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace DistCache.Tests.Deploy;

/// <summary>deploy/'s manifests name only what the node really has: serve's flags (asked of the real command
/// line definition), the ports those flags open, the paths the HTTP port serves; and the objects point at each
/// other (selectors, service account, Secret, ConfigMap). No cluster, no Kubernetes: the YAML is read and
/// compared.</summary>
public sealed class DeployManifestTests
{
    // The container port that each flag opens, by the port's name in the pod.
    private static readonly IReadOnlyDictionary<string, string> PortFlags = new Dictionary<string, string>
    {
        ["cluster"] = "--port",
        ["management"] = "--management-port",
        ["resp"] = "--resp-port",
        ["http"] = "--http-port",
    };

    private readonly Manifests _manifests = Manifests.Load();
    private readonly NodePod _pod;

    public DeployManifestTests() => _pod = NodePod.From(_manifests);

    private static Command Serve() => CliApp.Create().Subcommands.Single(c => c.Name == "serve");

    [Fact]
    public void Every_flag_the_pod_gives_serve_is_one_serve_has_and_the_whole_line_parses()
    {
        var serve = Serve();
        var known = serve.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
        var unknown = _pod.Flags.Select(f => f.Flag).Where(f => !known.Contains(f)).Distinct().ToArray();
        Assert.True(unknown.Length == 0, $"deploy/statefulset.yaml gives serve flags it does not have: {string.Join(", ", unknown)}");

        // The container runs `DistCache.Host serve ARGS`: the same line through the real parser.
        var parsed = CliApp.Create().Parse(["serve", .. _pod.Args]);
        Assert.True(parsed.Errors.Count == 0, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        Assert.Equal("serve", parsed.CommandResult.Command.Name);
    }

    [Fact]
    public void Every_container_port_is_the_value_of_the_flag_that_opens_it_and_the_image_exposes_the_same()
    {
        var ports = _pod.Ports;
        Assert.Equal(PortFlags.Keys.Order(), ports.Keys.Order());
        foreach (var (name, flag) in PortFlags)
            Assert.True(_pod.Flag(flag) == ports[name].ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"container port {name} is {ports[name]} but {flag} is {_pod.Flag(flag)}");

        // `dotnet publish -t:PublishContainer` exposes DistCache.Host/Container.props' ports.
        var props = XDocument.Load(Path.Combine(PostgresServer.RepositoryRoot(), "DistCache.Host", "Container.props"));
        var exposed = props.Descendants("ContainerPort").Select(p => int.Parse((string)p.Attribute("Include")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ports.Values.Order(), exposed.Order());
    }

    [Fact]
    public void The_probes_ask_the_paths_the_node_serves_on_its_http_port()
    {
        Assert.Equal(NodeHttpEndpoint.LivePath, Yaml.Text(_pod.Container, "livenessProbe", "httpGet", "path"));
        Assert.Equal(NodeHttpEndpoint.ReadyPath, Yaml.Text(_pod.Container, "readinessProbe", "httpGet", "path"));
        foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
            Assert.Equal(_pod.Flag("--http-port"), PortNumber(Yaml.Text(_pod.Container, probe, "httpGet", "port")));
    }

    [Fact]
    public void Every_selector_matches_the_pods_and_every_service_port_targets_a_container_port()
    {
        var labels = _pod.Labels;
        AssertSelects(labels, Yaml.Labels(_pod.StatefulSet.Root, "spec", "selector", "matchLabels"), _pod.StatefulSet);
        var pdb = _manifests.Single("PodDisruptionBudget");
        AssertSelects(labels, Yaml.Labels(pdb.Root, "spec", "selector", "matchLabels"), pdb);
        Assert.Equal("1", Yaml.Text(pdb.Root, "spec", "maxUnavailable"));

        var services = _manifests.OfKind("Service").ToArray();
        Assert.NotEmpty(services);
        foreach (var service in services)
        {
            AssertSelects(labels, Yaml.Labels(service.Root, "spec", "selector"), service);
            foreach (var port in Yaml.List(service.Root, "spec", "ports"))
                Assert.True(_pod.Ports.ContainsKey(Yaml.Text(port, "targetPort")), $"{service}: targetPort {Yaml.Text(port, "targetPort")} is no container port of the pod");
        }

        // The StatefulSet's governing Service is headless and carries what the nodes reach each other on.
        var headless = _manifests.Named("Service", Yaml.Text(_pod.StatefulSet.Root, "spec", "serviceName"));
        Assert.Equal("None", Yaml.Text(headless.Root, "spec", "clusterIP"));
        var headlessPorts = Yaml.List(headless.Root, "spec", "ports").Select(p => Yaml.Text(p, "targetPort")).ToArray();
        Assert.Contains("cluster", headlessPorts);
        Assert.Contains("management", headlessPorts);
        Assert.Contains(services, s => Yaml.List(s.Root, "spec", "ports").Any(p => Yaml.Text(p, "targetPort") == "resp"));
    }

    [Fact]
    public void Discovery_looks_for_these_pods_and_their_service_account_may_list_them()
    {
        Assert.Equal("kubernetes", _pod.Flag("--discovery"));
        var selector = _pod.Flag("--discovery-label-selector").Split(',')
            .Select(term => term.Split('=', 2))
            .ToDictionary(kv => kv[0].Trim(), kv => kv.Length == 2 ? kv[1].Trim() : throw new Xunit.Sdk.XunitException($"label selector term '{kv[0]}' is not key=value"));
        AssertSelects(_pod.Labels, selector, _pod.StatefulSet);
        // Cluster Bootstrap forms a new cluster only with this many contact points: more than the replicas never forms one.
        Assert.True(int.Parse(_pod.Flag("--required-contact-points"), System.Globalization.CultureInfo.InvariantCulture)
            <= int.Parse(Yaml.Text(_pod.StatefulSet.Root, "spec", "replicas"), System.Globalization.CultureInfo.InvariantCulture));
        // Bootstrap starts the nodes at once; one by one, the first would wait for a cluster that needs the second.
        Assert.Equal("Parallel", Yaml.Text(_pod.StatefulSet.Root, "spec", "podManagementPolicy"));

        var account = Yaml.Text(_pod.Pod, "serviceAccountName");
        _manifests.Named("ServiceAccount", account);
        var bindings = _manifests.OfKind("RoleBinding")
            .Where(b => Yaml.List(b.Root, "subjects").Any(s => Yaml.Text(s, "kind") == "ServiceAccount" && Yaml.Text(s, "name") == account))
            .ToArray();
        Assert.NotEmpty(bindings);
        var rules = bindings.Select(b => _manifests.Named(Yaml.Text(b.Root, "roleRef", "kind"), Yaml.Text(b.Root, "roleRef", "name")))
            .SelectMany(role => Yaml.List(role.Root, "rules"))
            .Where(rule => Strings(rule, "apiGroups").Contains("") && Strings(rule, "resources").Contains("pods"))
            .SelectMany(rule => Strings(rule, "verbs"))
            .ToHashSet();
        foreach (var verb in new[] { "get", "list", "watch" })
            Assert.Contains(verb, rules);
    }

    [Fact]
    public void The_connection_string_and_config_files_are_where_the_mounted_secret_and_config_map_put_them()
    {
        var (secretVolume, secretKey) = _pod.VolumeHolding(_pod.Flag("--connection-string-file"), "secret");
        var secret = _manifests.Named("Secret", Yaml.Text(secretVolume, "secret", "secretName"));
        Assert.NotNull(Yaml.Find(secret.Root, "stringData", secretKey) ?? Yaml.Find(secret.Root, "data", secretKey));

        var (configVolume, configKey) = _pod.VolumeHolding(_pod.Flag("--config"), "configMap");
        var configMap = _manifests.Named("ConfigMap", Yaml.Text(configVolume, "configMap", "name"));
        // The node accepts the file: the same validation as at start-up, without starting anything.
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, configKey);
        File.WriteAllText(file, Yaml.Text(configMap.Root, "data", configKey));
        var (_, settings) = NodeConfigBuilder.Build(new NodeOptions { ConfigFile = file, Journal = _pod.Flag("--journal"), ConnectionString = "Host=db" });
        Assert.Equal(JournalKind.Postgres, settings.Journal);
        Assert.True(settings.MaxMemoryBytes > 0, "a cache inside a memory limit needs distcache.max-memory");
    }

    [Fact]
    public void The_grace_period_outlasts_the_pre_stop_pause_and_the_hand_off_bound()
    {
        var hocon = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(PostgresServer.RepositoryRoot(), "hocon", "distcache.conf")));
        var handOff = hocon.GetTimeSpan("akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout");
        var preStop = TimeSpan.FromSeconds(int.Parse(Yaml.Text(_pod.Container, "lifecycle", "preStop", "sleep", "seconds"), System.Globalization.CultureInfo.InvariantCulture));
        var grace = TimeSpan.FromSeconds(int.Parse(Yaml.Text(_pod.Pod, "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(grace > preStop + handOff, $"terminationGracePeriodSeconds {grace.TotalSeconds} s must outlast preStop {preStop.TotalSeconds} s + hand-off {handOff.TotalSeconds} s");
    }

    private string PortNumber(string nameOrNumber) =>
        _pod.Ports.TryGetValue(nameOrNumber, out var number) ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : nameOrNumber;

    private static void AssertSelects(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> selector, ManifestObject by)
    {
        Assert.NotEmpty(selector);
        foreach (var (key, value) in selector)
            Assert.True(labels.TryGetValue(key, out var label) && label == value, $"{by} selects {key}={value}, which the pods' labels do not have");
    }

    private static IEnumerable<string> Strings(YamlNode node, string key) => Yaml.List(node, key).Select(n => ((YamlScalarNode)n).Value ?? "");
}
