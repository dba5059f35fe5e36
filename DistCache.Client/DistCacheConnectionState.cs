namespace DistCache.Client;

public enum DistCacheConnectionState
{
    /// <summary>Created; no reply from the cluster yet.</summary>
    Connecting,

    /// <summary>The cluster answers heartbeats.</summary>
    Connected,

    /// <summary>The cluster stopped answering; the client keeps trying every contact point.</summary>
    Disconnected,

    /// <summary>Terminal: a TLS handshake with the cluster failed and the client's actor system stopped.
    /// Every call throws <see cref="DistCacheConnectionException"/>; create a new client once the
    /// certificates are fixed.</summary>
    Failed,
}
