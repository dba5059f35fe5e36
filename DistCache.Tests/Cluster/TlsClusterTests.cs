using System.Diagnostics;
using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using DistCache.Actors.Cluster;
using DistCache.Client;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>Two TLS nodes of one CA, in process, shared by the tests of this class: the cluster port
/// speaks akka.ssl.tcp, admits only certificates of the cluster CA, and survives junk.</summary>
public sealed class TlsClusterFixture : IAsyncLifetime
{
    // No test here crashes a node: failure detection is slow, so a starved test process cannot down one.
    public static readonly Config Timings = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.cluster {
          failure-detector.acceptable-heartbeat-pause = 20s
          split-brain-resolver.stable-after = 10s
        }
        distcache.partitions = 16
        distcache.shards = 8
        """);

    private readonly TempFolder _certs = new();

    public TempFolder Data { get; } = new();
    public TestPki Pki { get; } = TestPki.Create();
    public TestPki Foreign { get; } = TestPki.Create("Foreign CA");
    public DistCacheNode First { get; private set; } = null!;
    public DistCacheNode Second { get; private set; } = null!;
    public int FirstPort { get; private set; }
    public int SecondPort { get; private set; }

    /// <summary>PEM files of a leaf of <paramref name="pki"/> (cert, key, and that CA as ca-NAME.crt).</summary>
    public (string Cert, string Key, string Ca) Files(string name, TestPki? pki = null) =>
        (pki ?? Pki).Write(_certs.Path, name, (pki ?? Pki).Issue(name), $"ca-{name}.crt");

    public NodeOptions TlsNode(int port, string name, params string[] seeds)
    {
        var (cert, key, ca) = Files(name);
        return new NodeOptions
        {
            Port = port, Seeds = seeds, DataDir = Data.Path, Overrides = Timings, TlsCert = cert, TlsKey = key, TlsCa = ca,
        };
    }

    public DistCacheClient Client(DistCacheTlsOptions? tls, TimeSpan timeout, params int[] ports) => new(new DistCacheClientOptions
    {
        ContactPoints = ports.Select(p => $"127.0.0.1:{p}").ToArray(),
        RequestTimeout = timeout,
        Tls = tls,
    });

    public DistCacheTlsOptions ClientTls(string name, TestPki? pki = null)
    {
        var (cert, key, ca) = Files(name, pki);
        return new DistCacheTlsOptions { CertificatePath = cert, KeyPath = key, CaPath = ca };
    }

    public async Task InitializeAsync()
    {
        FirstPort = FreePort.Next();
        SecondPort = FreePort.Next();
        First = DistCacheNode.Start(TlsNode(FirstPort, "node1", $"127.0.0.1:{FirstPort}"));
        await First.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
        Second = DistCacheNode.Start(TlsNode(SecondPort, "node2", $"127.0.0.1:{FirstPort}"));
        await Second.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Second.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
        await First.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
        Data.Dispose();
        _certs.Dispose();
    }
}

public sealed class TlsClusterTests(TlsClusterFixture cluster) : IClassFixture<TlsClusterFixture>
{
    private static int Members(DistCacheNode node) =>
        Akka.Cluster.Cluster.Get(node.System).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up);

    [Fact]
    public async Task Two_nodes_of_one_ca_form_a_cluster_over_akka_ssl_tcp_and_serve_a_tls_client()
    {
        Assert.Equal("akka.ssl.tcp", Akka.Cluster.Cluster.Get(cluster.First.System).SelfAddress.Protocol);
        Assert.Equal("akka.ssl.tcp", Akka.Cluster.Cluster.Get(cluster.Second.System).SelfAddress.Protocol);
        await Eventually.TrueAsync(() => Task.FromResult(Members(cluster.First) == 2 && Members(cluster.Second) == 2), "both nodes see two Up members",
            TimeSpan.FromSeconds(30));

        await using var writer = cluster.Client(cluster.ClientTls("writer"), TimeSpan.FromSeconds(20), cluster.FirstPort);
        await using var reader = cluster.Client(cluster.ClientTls("reader"), TimeSpan.FromSeconds(20), cluster.SecondPort);
        for (var i = 0; i < 8; i++)
            await writer.SetAsync($"tls:{i}", $"value {i}");
        for (var i = 0; i < 8; i++)
            Assert.Equal($"value {i}", await reader.GetAsync<string>($"tls:{i}"));
        Assert.Equal(DistCacheConnectionState.Connected, reader.State);
    }

    [Fact]
    public async Task A_plain_node_seeded_at_a_tls_node_never_becomes_a_member_and_the_tls_nodes_stay_up()
    {
        // Same journal, so the store too points it at the TLS members: it keeps trying over akka.tcp.
        var plain = DistCacheNode.Start(new NodeOptions
        {
            Port = FreePort.Next(), Seeds = [$"127.0.0.1:{cluster.FirstPort}"], DataDir = cluster.Data.Path, Overrides = TlsClusterFixture.Timings,
        });
        try
        {
            await Assert.ThrowsAsync<TimeoutException>(() => plain.WhenUp.WaitAsync(TimeSpan.FromSeconds(8)));
            Assert.Equal("akka.tcp", Akka.Cluster.Cluster.Get(plain.System).SelfAddress.Protocol);
            Assert.DoesNotContain(Akka.Cluster.Cluster.Get(plain.System).State.Members, m => m.Status == Akka.Cluster.MemberStatus.Up);
            Assert.False(cluster.First.System.WhenTerminated.IsCompleted || cluster.Second.System.WhenTerminated.IsCompleted);
            Assert.Equal(2, Akka.Cluster.Cluster.Get(cluster.First.System).State.Members.Count);
            Assert.Equal(2, Members(cluster.First));
        }
        finally
        {
            await plain.System.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_another_ca_fails_fast_with_a_typed_error()
    {
        var timeout = TimeSpan.FromSeconds(30);
        await using var intruder = cluster.Client(cluster.ClientTls("intruder", cluster.Foreign), timeout, cluster.FirstPort);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DistCacheConnectionException>(() => intruder.SetAsync("tls:intruder", "x"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:0.0} s (request timeout {timeout.TotalSeconds} s)");
        Assert.Equal(DistCache.Protocol.CacheErrorCode.Unavailable, error.Code);
        Assert.Contains("TLS handshake", error.Message);
        Assert.Equal(DistCacheConnectionState.Failed, intruder.State);
        // Terminal: later calls fail at once the same way.
        await Assert.ThrowsAsync<DistCacheConnectionException>(() => intruder.GetAsync<string>("tls:intruder")).WaitAsync(TimeSpan.FromSeconds(1));
        Assert.False(cluster.First.System.WhenTerminated.IsCompleted, "the refusing node stays up");
    }

    [Fact]
    public async Task A_plain_client_gets_no_answer_within_its_timeout_and_the_node_stays_up()
    {
        await using var plain = cluster.Client(null, TimeSpan.FromSeconds(2), cluster.FirstPort);

        await Assert.ThrowsAsync<DistCacheTimeoutException>(() => plain.GetAsync<string>("tls:plain"));

        Assert.False(cluster.First.System.WhenTerminated.IsCompleted);
        Assert.Equal(2, Members(cluster.First));
    }

    [Fact]
    public async Task Garbage_and_an_http_request_at_the_tls_akka_port_leave_the_node_live()
    {
        using (var garbage = await RawSocket.OpenAsync(cluster.SecondPort))
        {
            await garbage.SendAsync(Enumerable.Range(0, 4096).Select(i => (byte)(i * 37)).ToArray());
            // The node closes the connection (or says nothing); either way it must not stop.
            await ReadUntilClosedAsync(garbage);
        }
        using (var http = await RawSocket.OpenAsync(cluster.SecondPort))
        {
            await http.SendAsync(Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            await ReadUntilClosedAsync(http);
        }

        Assert.False(cluster.Second.System.WhenTerminated.IsCompleted);
        await using var client = cluster.Client(cluster.ClientTls("after-junk"), TimeSpan.FromSeconds(20), cluster.SecondPort);
        await client.SetAsync("tls:after-junk", "still here");
        Assert.Equal("still here", await client.GetAsync<string>("tls:after-junk"));
        Assert.Equal(2, Members(cluster.Second));
    }

    [Fact]
    public async Task A_client_whose_certificate_the_nodes_refuse_fails_fast_even_when_it_trusts_their_ca()
    {
        // Under TLS 1.3 often only the node sees the problem (after the client's handshake completed): Akka.Remote
        // alone would then retry forever and the call would time out. Either the client's probe or Akka's own
        // failure handling must end it, whichever comes first.
        var tls = cluster.ClientTls("intruder-trusting", cluster.Foreign);
        tls.CaPath = cluster.Files("ca-of-the-cluster").Ca;
        var timeout = TimeSpan.FromSeconds(30);
        await using var intruder = cluster.Client(tls, timeout, cluster.FirstPort, cluster.SecondPort);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DistCacheConnectionException>(() => intruder.SetAsync("tls:intruder", "x"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:0.0} s (request timeout {timeout.TotalSeconds} s)");
        Assert.Contains("TLS handshake with ", error.Message);
        Assert.Equal(DistCacheConnectionState.Failed, intruder.State);
        Assert.False(cluster.First.System.WhenTerminated.IsCompleted || cluster.Second.System.WhenTerminated.IsCompleted, "the refusing nodes stay up");
    }

    [Fact]
    public async Task The_client_of_AddDistCache_reads_its_tls_files_from_the_DistCache_Tls_section()
    {
        var tls = cluster.ClientTls("bound");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DistCache:ContactPoints:0"] = $"127.0.0.1:{cluster.FirstPort}",
            ["DistCache:RequestTimeout"] = "00:00:20",
            ["DistCache:Tls:CertificatePath"] = tls.CertificatePath,
            ["DistCache:Tls:KeyPath"] = tls.KeyPath,
            ["DistCache:Tls:CaPath"] = tls.CaPath,
        }).Build();
        await using var provider = new ServiceCollection().AddDistCache(configuration).BuildServiceProvider();

        var client = provider.GetRequiredService<DistCacheClient>();

        await client.SetAsync("tls:bound", 42);
        Assert.Equal(42, await client.GetAsync<int>("tls:bound"));
    }

    [Fact]
    public async Task WithDistCacheClient_needs_the_explicit_tls_opt_in_which_puts_the_applications_system_on_akka_ssl_tcp()
    {
        var tls = cluster.ClientTls("app");
        var refused = Assert.Throws<InvalidOperationException>(() => new AkkaConfigurationBuilder(new ServiceCollection(), "my-app")
            .WithDistCacheClient(o => o.Tls = tls));
        Assert.Contains("WithDistCacheClientOverTls", refused.Message);

        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("my-app", builder => builder
                .WithDistCacheClientOverTls(tls, o => o.ContactPoints.Add($"127.0.0.1:{cluster.SecondPort}"))))
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<Akka.Actor.ActorSystem>();
            Assert.Equal("akka.ssl.tcp", ((Akka.Actor.ExtendedActorSystem)system).Provider.DefaultAddress.Protocol);
            await system.DistCache().SetAsync("tls:app", "from the app's system");
            Assert.Equal("from the app's system", await system.DistCache().GetAsync<string>("tls:app"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task ReadUntilClosedAsync(System.Net.Sockets.Socket socket)
    {
        try
        {
            await RawSocket.ReadAsync(socket, 64 * 1024, TimeSpan.FromSeconds(3));
        }
        catch (Exception ex) when (ex is TimeoutException or System.Net.Sockets.SocketException)
        {
            // Silence or a reset: what matters is the node afterwards.
        }
    }
}
