using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using DistCache.Tests.Support;

namespace DistCache.Tests.Host;

/// <summary>Real hosts serving their HTTP port over HTTPS with the node certificate (per-run CA): curl and
/// HttpClient trusting only that CA get health and, with the bearer token, /metrics; plain HTTP gets
/// nothing; with http-auth-clients = yes a client certificate of the CA is required.</summary>
public sealed class HttpsTests : IDisposable
{
    // Distinctive, so finding it in the output cannot be a coincidence.
    private const string Token = "tok-https-4Rv8-lantern";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Https_serves_health_to_clients_trusting_the_ca_and_metrics_only_with_the_token()
    {
        var files = TlsHostFiles.Write(_folder.Path);
        var httpPort = FreePort.Next();
        var tokenFile = Path.Combine(_folder.Path, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        using var host = HostProcess.Start(FreePort.Next(), Path.Combine(_folder.Path, "data"),
            ["--http-port", httpPort.ToString(), "--http-token-file", tokenFile, .. files.HostArgs]);
        await host.WaitUntilReadyAsync();
        Assert.Contains($"DistCache HTTP on https://127.0.0.1:{httpPort}", host.Output);
        var url = $"https://127.0.0.1:{httpPort}";

        var live = await Curl("--cacert", files.Ca, url + "/health/live");
        Assert.True(live.ExitCode == 0, live.Stderr);
        Assert.Equal("live", live.Stdout);
        // The CA is what makes curl trust the node: without it, the certificate is unknown.
        Assert.NotEqual(0, (await Curl(url + "/health/live")).ExitCode);

        using var https = new HttpClient(TrustingOnly(files.Ca)) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var anonymous = await https.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer realm=\"distcache\"", anonymous.Headers.WwwAuthenticate.ToString());
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
            Assert.Equal(HttpStatusCode.Unauthorized, (await https.SendAsync(wrong)).StatusCode);
        }
        using (var right = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            var metrics = await https.SendAsync(right);
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains("distcache_", await metrics.Content.ReadAsStringAsync());
        }

        // Plain HTTP to the HTTPS port gets no answer, and the port keeps serving HTTPS.
        using (var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
            await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{httpPort}/health/live"));
        Assert.Equal("live", await https.GetStringAsync("/health/live"));
        Assert.False(host.HasExited);
        Assert.DoesNotContain(Token, host.Output);
    }

    [Fact]
    public async Task With_http_auth_clients_yes_only_a_client_certificate_of_the_ca_gets_an_answer()
    {
        var files = TlsHostFiles.Write(_folder.Path, "distcache.tls.http-auth-clients = yes");
        var httpPort = FreePort.Next();
        using var host = HostProcess.Start(FreePort.Next(), Path.Combine(_folder.Path, "data"), ["--http-port", httpPort.ToString(), .. files.HostArgs]);
        await host.WaitUntilReadyAsync();
        var url = $"https://127.0.0.1:{httpPort}/health/live";

        Assert.NotEqual("live", (await Curl("--cacert", files.Ca, url)).Stdout);
        Assert.NotEqual("live", (await Curl("--cacert", files.Ca, "--cert", files.ForeignCert, "--key", files.ForeignKey, url)).Stdout);
        var admitted = await Curl("--cacert", files.Ca, "--cert", files.ClientCert, "--key", files.ClientKey, url);
        Assert.True(admitted.ExitCode == 0, admitted.Stderr);
        Assert.Equal("live", admitted.Stdout);
    }

    /// <summary>An HttpClient handler that trusts the given CA and nothing else (names are still checked).</summary>
    private static SocketsHttpHandler TrustingOnly(string caFile)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(caFile));
        return new SocketsHttpHandler { SslOptions = { CertificateChainPolicy = policy } };
    }

    private static async Task<CliResult> Curl(params string[] args)
    {
        var info = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-sS", "--max-time", "30" }.Concat(args))
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new CliResult(process.ExitCode, (await stdout).TrimEnd('\n'), (await stderr).TrimEnd('\n'));
    }
}
