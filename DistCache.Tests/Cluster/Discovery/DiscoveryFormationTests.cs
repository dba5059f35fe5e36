using System.Net;
using DistCache.Actors.Cluster;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster.Discovery;

/// <summary>Formation by Cluster Bootstrap with config discovery, no --seed anywhere.</summary>
public sealed class DiscoveryFormationTests
{
    [Fact]
    public async Task Three_nodes_listing_each_other_form_one_cluster_without_seeds_and_a_node_of_another_store_is_refused()
    {
        using var data = new TempFolder();
        using var otherData = new TempFolder();
        var ports = Enumerable.Range(0, 3).Select(_ => FreePort.Next()).ToArray();
        var endpoints = ports.Select(p => $"127.0.0.1:{p}").ToArray();
        var nodes = new List<DistCacheNode>();
        try
        {
            // Three contact points required: none of them may form before all three answer.
            foreach (var port in ports)
                nodes.Add(DistCacheNode.Start(DiscoveryNodes.Options(data.Path, port, endpoints, required: 3)));
            await Task.WhenAll(nodes.Select(n => n.WhenUp)).WaitAsync(TimeSpan.FromSeconds(50));
            await Eventually.TrueAsync(() => Task.FromResult(nodes.All(n => DiscoveryNodes.UpMembers(n) == 3)), "every node sees three Up members",
                TimeSpan.FromSeconds(30));
            Assert.Single(nodes.Select(DiscoveryNodes.Leader).Distinct());

            // A node on another journal that discovers this cluster must not join it.
            var strangerPort = FreePort.Next();
            var stranger = DistCacheNode.Start(DiscoveryNodes.Options(otherData.Path, strangerPort, [endpoints[0], $"127.0.0.1:{strangerPort}"], required: 1));
            nodes.Add(stranger);
            await stranger.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("share one journal", stranger.FormationRefusal);
            Assert.All(nodes.Take(3), n => Assert.Equal(3, DiscoveryNodes.UpMembers(n)));
        }
        finally
        {
            await DiscoveryNodes.CrashAllAsync(nodes);
        }
    }

    [Fact]
    public async Task Two_bootstraps_that_each_see_only_themselves_on_one_store_end_as_one_cluster()
    {
        using var data = new TempFolder();
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var nodes = new List<DistCacheNode>();
        try
        {
            // Each one's discovery lists only itself with one contact point required: each decides to form
            // a cluster. The store lets one form and makes the other join it.
            var starting = ports.Select(p => Task.Run(() => DistCacheNode.Start(DiscoveryNodes.Options(data.Path, p, [$"127.0.0.1:{p}"], required: 1)))).ToArray();
            foreach (var start in starting)
                nodes.Add(await start);
            await Task.WhenAll(nodes.Select(n => n.WhenUp)).WaitAsync(TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(() => Task.FromResult(nodes.All(n => DiscoveryNodes.UpMembers(n) == 2)), "both nodes see two Up members",
                TimeSpan.FromSeconds(30));
            Assert.Single(nodes.Select(DiscoveryNodes.Leader).Distinct());
        }
        finally
        {
            await DiscoveryNodes.CrashAllAsync(nodes);
        }
    }

    [Fact]
    public async Task The_management_endpoint_binds_on_host_and_serves_only_the_bootstrap_route()
    {
        using var data = new TempFolder();
        var port = FreePort.Next();
        var node = DistCacheNode.Start(DiscoveryNodes.Options(data.Path, port, [$"127.0.0.1:{port}"], required: 1));
        try
        {
            await node.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            var seeds = await http.GetAsync("/bootstrap/seed-nodes");
            Assert.Equal(HttpStatusCode.OK, seeds.StatusCode);
            Assert.Contains($":{node.System.Settings.Config.GetInt("akka.remote.dot-netty.tcp.port")}", await seeds.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/remote/address")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/cluster-client/receptionist")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/cluster/members")).StatusCode);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync("/bootstrap/seed-nodes", new StringContent(""))).StatusCode);
        }
        finally
        {
            await DiscoveryNodes.CrashAllAsync([node]);
        }
    }
    [Fact]
    public async Task Behind_a_token_and_https_nodes_form_by_discovery_and_the_endpoint_answers_no_one_without_both()
    {
        using var data = new TempFolder();
        using var secrets = new TempFolder();
        var pki = TestPki.Create();
        var token = Path.Combine(secrets.Path, "http.token");
        await File.WriteAllTextAsync(token, "management-secret\n");
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var endpoints = ports.Select(p => $"127.0.0.1:{p}").ToArray();
        NodeOptions Secure(int port, string name)
        {
            var (cert, key, ca) = pki.Write(secrets.Path, name, pki.Issue(name), $"ca-{name}.crt");
            return DiscoveryNodes.Options(data.Path, port, endpoints, required: 2) with { TlsCert = cert, TlsKey = key, TlsCa = ca, HttpTokenFile = token };
        }
        var nodes = ports.Select((p, i) => DistCacheNode.Start(Secure(p, $"node{i}"))).ToList();
        try
        {
            // Two contact points are required, so neither forms alone: each must have read the other's seed nodes,
            // through the token and the cluster CA.
            await Task.WhenAll(nodes.Select(n => n.WhenUp.WaitAsync(TimeSpan.FromSeconds(60))));
            await Eventually.TrueAsync(() => Task.FromResult(nodes.All(n => DiscoveryNodes.UpMembers(n) == 2)), "both nodes are members of one cluster",
                TimeSpan.FromSeconds(30));

            using var trusting = new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, certificate, chain, _) => DistCache.Security.CaPinnedValidator.Validate(certificate, chain, pki.Roots, out _),
            }) { BaseAddress = new Uri($"https://127.0.0.1:{ports[0]}"), Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await trusting.GetAsync("/bootstrap/seed-nodes")).StatusCode);
            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/bootstrap/seed-nodes") { Headers = { { "Authorization", "Bearer another" } } };
            Assert.Equal(HttpStatusCode.Unauthorized, (await trusting.SendAsync(wrong)).StatusCode);
            using var right = new HttpRequestMessage(HttpMethod.Get, "/bootstrap/seed-nodes") { Headers = { { "Authorization", "Bearer management-secret" } } };
            var seeds = await trusting.SendAsync(right);
            Assert.Equal(HttpStatusCode.OK, seeds.StatusCode);
            Assert.Contains($":{nodes[0].System.Settings.Config.GetInt("akka.remote.dot-netty.tcp.port")}", await seeds.Content.ReadAsStringAsync());
            // Plain HTTP gets no answer, and a client that trusts only the operating system's CAs refuses the node.
            using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{ports[0]}/bootstrap/seed-nodes"));
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync($"https://127.0.0.1:{ports[0]}/bootstrap/seed-nodes"));
        }
        finally
        {
            await DiscoveryNodes.CrashAllAsync(nodes);
        }
    }
}
