using Akka.Actor;

namespace DistCache.Actors.Notifications;

/// <summary>A .NET client's near cache registered on this node: where to send, its lease, and when each of its
/// recent pings arrived, so a tick can name the newest ping that arrived before a moment the node is covered to.</summary>
public sealed class NearCacheClient(IActorRef replyTo, Guid clientId)
{
    private readonly Queue<(long Ping, long At)> _pings = new();

    public IActorRef ReplyTo { get; } = replyTo;

    public Guid ClientId { get; } = clientId;

    public long LastSeen { get; private set; }

    public long LastPing { get; private set; }

    public long OutSeq { get; private set; }

    private long _covered = -1;

    public long NextOutSeq() => ++OutSeq;

    public void Pinged(long ping, long now)
    {
        LastSeen = now;
        if (ping <= LastPing)
            return;
        LastPing = ping;
        _pings.Enqueue((ping, now));
        if (_pings.Count > PingLog.Capacity)
            _pings.Dequeue();
    }

    /// <summary>The client's newest ping that arrived no later than <paramref name="coveredAt"/> (−1: none yet). A ping
    /// arrives after the client sent it, so every write acknowledged before the client sent it is covered too.</summary>
    public long CoveredPing(long? coveredAt)
    {
        if (coveredAt is not { } at)
            return -1;
        while (_pings.Count > 0 && _pings.Peek().At <= at)
            _covered = _pings.Dequeue().Ping;
        return _covered;
    }
}
