using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using DistCache.Tests.Support;

namespace DistCache.Tests.Deploy;

/// <summary>The StatefulSet's own serve line starts a node: its flags as written, with only what exists in a
/// Kubernetes pod alone replaced (the pod IP, the mounted files, the API server discovery asks), on the
/// PostgreSQL journal the manifests use; the node forms its cluster through Cluster Bootstrap, answers the
/// probes and Redis, and leaves on SIGTERM as a rolling restart stops a pod.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ManifestNodeStartTests(PostgresServer server) : IDisposable
{
    private const int SigTerm = 15;
    private static readonly string[] PortFlags = ["--port", "--management-port", "--resp-port", "--http-port"];
    private readonly TempFolder _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task The_statefulsets_serve_line_forms_a_cluster_answers_the_probes_and_leaves_on_sigterm()
    {
        var manifests = Manifests.Load();
        var pod = NodePod.From(manifests);
        var ports = PortFlags.ToDictionary(f => f, _ => FreePort.Next().ToString(CultureInfo.InvariantCulture));
        var args = new List<string> { "serve" };
        foreach (var (flag, value) in pod.Flags)
        {
            args.Add(flag);
            args.Add(flag switch
            {
                // Kubernetes expands $(POD_IP) from the env var the downward API sets; the pod here is this machine.
                "--host" => value == "$(POD_IP)" ? "127.0.0.1" : value,
                // Free ports instead of the fixed ones: other tests run on this machine.
                _ when ports.TryGetValue(flag, out var port) => port,
                // The Secret's file: this test's own database.
                "--connection-string-file" => await WriteAsync("connection-string", await server.CreateDatabaseAsync() + "\n"),
                // The ConfigMap's file, as it is in deploy/.
                "--config" => await WriteAsync("node.conf", Yaml.Text(
                    manifests.Named("ConfigMap", Yaml.Text(pod.VolumeHolding(value, "configMap").Volume, "configMap", "name")).Root,
                    "data", pod.VolumeHolding(value, "configMap").Key)),
                // There is no API server to list pods: the config method names this node's management endpoint,
                // and one contact point (this node alone) is enough to form the cluster.
                "--discovery" => value == "kubernetes" ? "config" : value,
                "--required-contact-points" => "1",
                _ => value,
            });
        }
        args.AddRange(["--discovery-endpoint", $"127.0.0.1:{ports["--management-port"]}"]);

        using var host = HostProcess.StartWith("127.0.0.1", int.Parse(ports["--port"], CultureInfo.InvariantCulture), args);
        await host.WaitUntilReadyAsync();
        // Formed by Cluster Bootstrap's join decider, not by the store-based rule of a node without discovery.
        Assert.Contains("event=cluster-forming: discovery chose this node", host.Output);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports["--http-port"]}"), Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Yaml.Text(pod.Container, "livenessProbe", "httpGet", "path"))).StatusCode);
        var readiness = Yaml.Text(pod.Container, "readinessProbe", "httpGet", "path");
        await Eventually.TrueAsync(async () => (await http.GetAsync(readiness)).StatusCode == HttpStatusCode.OK, $"{readiness} answers 200", TimeSpan.FromSeconds(30));

        using (var redis = await RawSocket.OpenAsync(int.Parse(ports["--resp-port"], CultureInfo.InvariantCulture)))
        {
            await redis.SendAsync(Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$4\r\nk8s:\r\n$2\r\nok\r\n*2\r\n$3\r\nGET\r\n$4\r\nk8s:\r\n"));
            Assert.Equal("+OK\r\n$2\r\nok\r\n", await RawSocket.ReadAsync(redis, 13, TimeSpan.FromSeconds(10)));
        }

        var leave = Stopwatch.StartNew();
        host.Signal(SigTerm);
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("leaving the cluster (SIGTERM)", host.Output);
        Console.WriteLine($"deploy/statefulset.yaml's node: SIGTERM to exit {leave.ElapsedMilliseconds} ms");
    }

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(_files.Path, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}
