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

    /// <summary>The README's Security walk-through: a 3-node TLS cluster whose Redis ports ask for a password,
    /// reached with redis-cli over TLS and with the CLI's .NET client.</summary>
    [Fact]
    public async Task A_tls_cluster_with_a_password_protected_redis_port_answers_redis_cli_and_the_cli()
    {
        const string password = "walk-through-s3cret";
        using var script = new ClusterScript(withResp: true, tls: true, respPassword: password);
        var started = await script.RunAsync("start", "3");
        Assert.True(started.ExitCode == 0, started.Stdout + started.Stderr);
        var ca = Path.Combine(script.CertsPath, "ca.crt");
        var resp = script.RespBasePort!.Value;

        Assert.Equal("OK", (await RedisCli(resp, password, "--tls", "--cacert", ca, "SET", "walk:k", "over-tls")).Stdout);
        Assert.Equal("over-tls", (await RedisCli(resp + 2, password, "--tls", "--cacert", ca, "GET", "walk:k")).Stdout);
        Assert.Contains("NOAUTH", (await RedisCli(resp + 1, null, "--tls", "--cacert", ca, "GET", "walk:k")).Stdout);
        // A plain client at a TLS port gets no reply.
        Assert.DoesNotContain("over-tls", (await RedisCli(resp + 1, password, "GET", "walk:k")).Stdout);

        string[] tls = ["--tls-cert", Path.Combine(script.CertsPath, "client.crt"), "--tls-key", Path.Combine(script.CertsPath, "client.key"), "--tls-ca", ca];
        var get = await HostProcess.RunCliAsync(["get", "walk:k", "--contact", $"127.0.0.1:{script.BasePort + 2}", "--timeout", "20", .. tls]);
        Assert.Equal((0, "over-tls"), (get.ExitCode, get.Stdout));
        foreach (var i in Enumerable.Range(1, 3))
            Assert.DoesNotContain(password, await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(script.CertsPath)!, $"node{i}.log")));
        Assert.Equal(0, (await script.RunAsync("stop")).ExitCode);
    }

    private static Task<CliResult> RedisCli(int port, string? password, params string[] args) => Support.RedisCli.RunAsync(port, password, args);
}
