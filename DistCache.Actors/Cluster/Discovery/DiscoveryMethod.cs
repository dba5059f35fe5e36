namespace DistCache.Actors.Cluster.Discovery;

/// <summary>How a node finds the others' management endpoints (distcache.discovery.method, --discovery).</summary>
public enum DiscoveryMethod
{
    /// <summary>Formation by --seed and the store alone, as before discovery existed.</summary>
    None,

    /// <summary>A fixed list of management endpoints (Akka.Discovery's config method).</summary>
    Config,

    /// <summary>The pods a label selector matches (Akka.Discovery.KubernetesApi).</summary>
    Kubernetes,
}
