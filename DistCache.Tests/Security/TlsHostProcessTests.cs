using System.Diagnostics;
using DistCache.Actors.Cluster;
using DistCache.Tests.Cluster;
using DistCache.Tests.Support;

namespace DistCache.Tests.Security;

/// <summary>One in-process TLS seed; real hosts try to join it with certificates it must refuse, and the
/// CLI talks to it over TLS. A refused host exits with code 2 and says TLS; the seed stays up alone.</summary>
public sealed class TlsSeedFixture : IAsyncLifetime
{
    private readonly TempFolder _certs = new();

    public TestPki Pki { get; } = TestPki.Create();
    public TestPki Foreign { get; } = TestPki.Create("Foreign CA");
    public TempFolder Data { get; } = new();
    public DistCacheNode Seed { get; private set; } = null!;
    public int Port { get; private set; }
    public string Contact => $"127.0.0.1:{Port}";

    public (string Cert, string Key, string Ca) Files(string name, TestPki? pki = null) =>
        (pki ?? Pki).Write(_certs.Path, name, (pki ?? Pki).Issue(name), $"ca-{name}.crt");

    public async Task InitializeAsync()
    {
        Port = FreePort.Next();
        var (cert, key, ca) = Files("seed");
        Seed = DistCacheNode.Start(new NodeOptions
        {
            Port = Port, DataDir = Data.Path, Overrides = TlsClusterFixture.Timings, TlsCert = cert, TlsKey = key, TlsCa = ca,
        });
        await Seed.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Seed.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
        Data.Dispose();
        _certs.Dispose();
    }
}

public sealed class TlsHostProcessTests(TlsSeedFixture cluster) : IClassFixture<TlsSeedFixture>, IDisposable
{
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(60);
    private readonly TempFolder _own = new();

    public void Dispose() => _own.Dispose();

    private static string[] Tls((string Cert, string Key, string Ca) files) => ["--tls-cert", files.Cert, "--tls-key", files.Key, "--tls-ca", files.Ca];

    private void AssertSeedAloneAndUp()
    {
        Assert.False(cluster.Seed.System.WhenTerminated.IsCompleted, "the refusing seed stays up");
        var members = Akka.Cluster.Cluster.Get(cluster.Seed.System).State.Members;
        Assert.Equal(Akka.Cluster.MemberStatus.Up, Assert.Single(members).Status);
    }

    [Fact]
    public async Task A_node_of_another_ca_seeded_at_a_tls_node_exits_2_naming_tls()
    {
        using var intruder = HostProcess.Start(FreePort.Next(), _own.Path, ["--seed", cluster.Contact, .. Tls(cluster.Files("intruder", cluster.Foreign))]);

        Assert.True(2 == await intruder.WaitForExitAsync(ExitWithin), intruder.Output);
        Assert.Contains("TLS handshake with a cluster peer failed", intruder.Output);
        Assert.Contains(cluster.Contact, intruder.Output);
        AssertSeedAloneAndUp();
    }

    [Fact]
    public async Task A_node_of_another_ca_that_trusts_the_cluster_ca_exits_2_instead_of_waiting_to_join()
    {
        var (cert, key, _) = cluster.Files("intruder-trusting", cluster.Foreign);
        var clusterCa = cluster.Files("for-its-ca").Ca;
        using var intruder = HostProcess.Start(FreePort.Next(), _own.Path, "--seed", cluster.Contact, "--tls-cert", cert, "--tls-key", key, "--tls-ca", clusterCa);

        Assert.True(2 == await intruder.WaitForExitAsync(ExitWithin), intruder.Output);
        Assert.Contains("TLS handshake with a cluster peer failed", intruder.Output);
        Assert.True(intruder.Output.Contains("refused this certificate"), intruder.Output);
        AssertSeedAloneAndUp();
    }

    [Fact]
    public async Task A_node_of_another_ca_that_finds_the_cluster_through_the_store_is_stopped_by_akka_and_exits_2()
    {
        // No --seed: it learns the seed from the shared journal and dials it; its own validator refuses the
        // seed's certificate, and Akka.Remote stops its actor system (the path without our probe).
        var config = Path.Combine(_own.Path, "same-layout.conf");
        File.WriteAllText(config, "distcache.partitions = 16\ndistcache.shards = 8\n");
        using var intruder = HostProcess.Start(FreePort.Next(), cluster.Data.Path, ["--config", config, .. Tls(cluster.Files("store-intruder", cluster.Foreign))]);

        Assert.True(2 == await intruder.WaitForExitAsync(ExitWithin), intruder.Output);
        Assert.True(intruder.Output.Contains("TLS handshake with a cluster peer failed"), intruder.Output);
        AssertSeedAloneAndUp();
    }

    [Fact]
    public async Task A_certificate_without_its_key_exits_2_at_start_naming_tls_key()
    {
        var (cert, _, ca) = cluster.Files("keyless");

        using var host = HostProcess.Start(FreePort.Next(), _own.Path, "--tls-cert", cert, "--tls-ca", ca);

        Assert.Equal(2, await host.WaitForExitAsync(ExitWithin));
        Assert.Contains("configuration error", host.Output);
        Assert.Contains("--tls-key", host.Output);
    }

    [Fact]
    public async Task The_cli_reaches_a_tls_cluster_with_a_ca_certificate_and_fails_fast_with_a_foreign_one()
    {
        var ok = Tls(cluster.Files("cli"));
        Assert.Equal(0, (await HostProcess.RunCliAsync(["set", "tls:cli", "hello", "--contact", cluster.Contact, .. ok])).ExitCode);
        var get = await HostProcess.RunCliAsync(["get", "tls:cli", "--contact", cluster.Contact, .. ok]);
        Assert.Equal((0, "hello"), (get.ExitCode, get.Stdout));

        var clock = Stopwatch.StartNew();
        var refused = await HostProcess.RunCliAsync(["get", "tls:cli", "--contact", cluster.Contact, "--timeout", "30", .. Tls(cluster.Files("cli-foreign", cluster.Foreign))]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("TLS handshake", refused.Stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:0.0} s with --timeout 30");
        Assert.False(cluster.Seed.System.WhenTerminated.IsCompleted);
    }
}
