namespace DistCache.Actors.Cluster;

/// <summary>distcache.resp.cluster-mode: whether the Redis endpoint speaks Redis Cluster (hocon/distcache.conf).</summary>
public enum RespClusterMode
{
    /// <summary>CLUSTER answered, INFO says cluster; only connections that asked for the slot map are redirected.</summary>
    Auto,

    /// <summary>Redis Cluster: every connection gets MOVED for a slot another node owns.</summary>
    On,

    /// <summary>Standalone: CLUSTER is refused and every node forwards.</summary>
    Off,
}
