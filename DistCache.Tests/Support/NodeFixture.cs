using DistCache.Actors.Cluster;
using DistCache.Client;

namespace DistCache.Tests.Support;

/// <summary>One in-process DistCache node on a free loopback port with its own SQLite folder, shared by
/// the tests of a class.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public DistCacheNode Node { get; private set; } = null!;
    public int Port { get; private set; }
    public string Contact => $"127.0.0.1:{Port}";

    public DistCacheClient Connect(TimeSpan? timeout = null) => new(new DistCacheClientOptions
    {
        ContactPoints = [Contact],
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(20),
    });

    public async Task InitializeAsync()
    {
        Port = FreePort.Next();
        Node = DistCacheNode.Start(new NodeOptions { Port = Port, DataDir = _folder.Path });
        await Node.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Node.ShutdownAsync();
        _folder.Dispose();
    }
}

/// <summary>One in-process node for every class that needs one (about 3 s saved a class); the classes use
/// keys of their own.</summary>
[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "one node";
}
