using DistCache.Client;

namespace DistCache.Tests.History;

/// <summary>One client per node, whose only contact point is that node (as an application server beside it
/// would have), so callers keep reaching every node, including a restarted one: after a restart the node gets
/// a fresh client. Replaced clients stay open until the end so their callers' requests still complete.</summary>
public sealed class NodeClients(TimeSpan requestTimeout, TimeSpan retryInterval) : IAsyncDisposable
{
    private readonly Dictionary<int, DistCacheClient> _current = [];
    private readonly List<DistCacheClient> _all = [];

    public void Connect(int node, string contact)
    {
        var client = new DistCacheClient(new DistCacheClientOptions
        {
            ContactPoints = [contact],
            RequestTimeout = requestTimeout,
            RetryInterval = retryInterval,
        });
        lock (_all)
        {
            _all.Add(client);
            _current[node] = client;
        }
    }

    /// <summary>The client a caller uses now: callers are spread over the nodes in turn.</summary>
    public (int Node, DistCacheClient Client) For(int caller)
    {
        lock (_all)
        {
            var nodes = _current.Keys.Order().ToList();
            var node = nodes[caller % nodes.Count];
            return (node, _current[node]);
        }
    }

    public IReadOnlyList<(int Node, DistCacheClient Client)> Current()
    {
        lock (_all)
            return _current.OrderBy(c => c.Key).Select(c => (c.Key, c.Value)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _all)
            await client.DisposeAsync();
    }
}
