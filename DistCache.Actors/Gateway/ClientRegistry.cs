using DistCache.Protocol;

namespace DistCache.Actors.Gateway;

/// <summary>The clients this node has heard from. A client is silent once it misses heartbeats for half
/// the timeout, and forgotten after the whole timeout (a killed client leaves the status then).</summary>
public sealed class ClientRegistry(TimeSpan timeout, TimeProvider clock)
{
    private readonly Dictionary<Guid, (string Address, DateTimeOffset LastSeen)> _clients = new();

    /// <summary>Every client remembered, silent ones included (until the next <see cref="Snapshot"/> forgets the lapsed).</summary>
    public int Known => _clients.Count;

    public int Connected => _clients.Values.Count(c => clock.GetUtcNow() - c.LastSeen < timeout / 2);

    public void Heard(ClientHeartbeat heartbeat) => _clients[heartbeat.ClientId] = (heartbeat.Address, clock.GetUtcNow());

    public ClientInfo[] Snapshot()
    {
        var now = clock.GetUtcNow();
        foreach (var gone in _clients.Where(c => now - c.Value.LastSeen >= timeout).Select(c => c.Key).ToArray())
            _clients.Remove(gone);
        return _clients
            .Select(c => new ClientInfo(c.Key.ToString("N")[..12], c.Value.Address, c.Value.LastSeen.ToUnixTimeMilliseconds(), now - c.Value.LastSeen >= timeout / 2))
            .OrderBy(c => c.Address, StringComparer.Ordinal)
            .ToArray();
    }
}
