namespace DistCache.Actors.Notifications;

/// <summary>The pings a relay sent and when (on its monotonic clock), so an echo names a moment: whoever echoes
/// ping N saw it after it was sent. Kept for the last <see cref="Capacity"/> pings; an older echo names nothing.</summary>
public sealed class PingLog
{
    public const int Capacity = 256;

    private readonly Queue<(long Ping, long At)> _sent = new();

    public long Last { get; private set; }

    public long Send(long now)
    {
        _sent.Enqueue((++Last, now));
        if (_sent.Count > Capacity)
            _sent.Dequeue();
        return Last;
    }

    public long? SentAt(long ping)
    {
        foreach (var (p, at) in _sent)
            if (p == ping)
                return at;
        return null;
    }
}
