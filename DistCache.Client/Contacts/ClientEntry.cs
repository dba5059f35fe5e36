using Akka.Cluster.Tools.Client;

namespace DistCache.Client.Contacts;

/// <summary>How a client enters the cluster: the contact points as configured, how each becomes node
/// endpoints, the ClusterClient settings (without contacts: those come from the <see cref="ContactBook"/>) and
/// the transport's scheme (akka.tcp, or akka.ssl.tcp under TLS).</summary>
internal sealed record ClientEntry(
    IReadOnlyList<string> ContactPoints,
    Func<string, CancellationToken, Task<IReadOnlyList<string>>> Resolver,
    ClusterClientSettings Settings,
    string Scheme);
