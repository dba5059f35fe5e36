using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>One seed node for the join tests (starting and stopping it took about 30 s a test).</summary>
public sealed class JoinSafetySeed : IAsyncLifetime
{
    private readonly TempFolder _data = new();

    public string DataDir => _data.Path;
    public int Port { get; } = FreePort.Next();
    private DistCacheNode _node = null!;

    public async Task InitializeAsync()
    {
        _node = DistCacheNode.Start(new NodeOptions { Port = Port, DataDir = _data.Path, Partitions = 32 });
        await _node.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _node.ShutdownAsync();
        _data.Dispose();
    }
}

/// <summary>A node whose partition count or journal differs from the cluster's refuses to join.</summary>
public sealed class JoinSafetyTests(JoinSafetySeed seed) : IClassFixture<JoinSafetySeed>, IDisposable
{
    // Each test's own: a refused node may leave a store behind in it.
    private readonly TempFolder _otherData = new();

    public void Dispose() => _otherData.Dispose();

    private NodeOptions Joiner(string dataDir, int partitions) => new()
    {
        Port = FreePort.Next(),
        Seeds = [$"127.0.0.1:{seed.Port}"],
        DataDir = dataDir,
        Partitions = partitions,
    };

    [Fact]
    public void A_node_with_another_partition_count_refuses_to_join()
    {
        var error = Assert.Throws<ConfigurationException>(() => DistCacheNode.Start(Joiner(_otherData.Path, 64)));
        Assert.Contains("distcache.partitions = 64", error.Message);
        Assert.Contains("uses 32", error.Message);
    }

    [Fact]
    public void A_node_with_another_journal_refuses_to_join()
    {
        var error = Assert.Throws<ConfigurationException>(() => DistCacheNode.Start(Joiner(_otherData.Path, 32)));
        Assert.Contains("distcache.journal", error.Message);
        Assert.Contains("share one journal", error.Message);
    }

    [Fact]
    public async Task A_node_on_the_same_journal_joins()
    {
        var node = DistCacheNode.Start(Joiner(seed.DataDir, 32));
        try
        {
            await node.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await node.ShutdownAsync();
        }
    }
}
