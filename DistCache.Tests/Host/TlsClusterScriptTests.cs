using DistCache.Tests.Support;

namespace DistCache.Tests.Host;

/// <summary>scripts/cluster.sh with TLS=1 makes its certificates with scripts/make-certs.sh and starts a
/// cluster that the CLI reaches only with a certificate of that CA.</summary>
public sealed class TlsClusterScriptTests
{
    [Fact]
    public async Task Tls_start_makes_certificates_and_the_cli_needs_them()
    {
        using var script = new ClusterScript(tls: true);
        var started = await script.RunAsync("start", "2");
        Assert.True(started.ExitCode == 0, started.Stdout + started.Stderr);
        Assert.Contains("(TLS)", started.Stdout);
        foreach (var file in new[] { "ca.crt", "node1.crt", "node1.key", "node2.crt", "client.crt", "client.key" })
            Assert.True(File.Exists(Path.Combine(script.CertsPath, file)), file);

        var contact = $"127.0.0.1:{script.BasePort + 1}";
        string[] tls = ["--tls-cert", Path.Combine(script.CertsPath, "client.crt"), "--tls-key", Path.Combine(script.CertsPath, "client.key"),
            "--tls-ca", Path.Combine(script.CertsPath, "ca.crt")];
        var set = await HostProcess.RunCliAsync(["set", "script:tls", "yes", "--contact", contact, "--timeout", "20", .. tls]);
        Assert.True(set.ExitCode == 0, set.Stdout + set.Stderr);
        var get = await HostProcess.RunCliAsync(["get", "script:tls", "--contact", $"127.0.0.1:{script.BasePort}", "--timeout", "20", .. tls]);
        Assert.Equal((0, "yes"), (get.ExitCode, get.Stdout));

        // Without a certificate the CLI speaks akka.tcp to a TLS port: no answer, within its --timeout.
        var plain = await HostProcess.RunCliAsync("get", "script:tls", "--contact", contact, "--timeout", "2");
        Assert.NotEqual(0, plain.ExitCode);

        var stopped = await script.RunAsync("stop");
        Assert.Equal(0, stopped.ExitCode);
    }
}
