using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>A node whose partition count or journal differs from the cluster's refuses to join.</summary>
public sealed class JoinSafetyTests : IAsyncLifetime
{
    private readonly TempFolder _clusterData = new();
    private readonly TempFolder _otherData = new();
    private DistCacheNode _seed = null!;
    private int _seedPort;

    public async Task InitializeAsync()
    {
        _seedPort = FreePort.Next();
        _seed = DistCacheNode.Start(new NodeOptions { Port = _seedPort, DataDir = _clusterData.Path, Partitions = 32 });
        await _seed.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _seed.ShutdownAsync();
        _clusterData.Dispose();
        _otherData.Dispose();
    }

    private NodeOptions Joiner(string dataDir, int partitions) => new()
    {
        Port = FreePort.Next(),
        Seeds = [$"127.0.0.1:{_seedPort}"],
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
        var node = DistCacheNode.Start(Joiner(_clusterData.Path, 32));
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
