namespace DistCache.Client;

public enum DistCacheConnectionState
{
    /// <summary>Created; no reply from the cluster yet.</summary>
    Connecting,

    /// <summary>The cluster answers heartbeats.</summary>
    Connected,

    /// <summary>The cluster stopped answering; the client keeps trying every contact point.</summary>
    Disconnected,
}
