namespace DistCache.Tests.History;

/// <summary>How the nodes of a <see cref="NamespacedCluster"/> find each other: the only arguments that differ
/// between forming by fixed seeds and forming by discovery, so a test switches between them in one place.</summary>
public static class NodeFormation
{
    /// <summary>Akka.Management's HTTP port (--management-port), the same on every node: each has its own address.</summary>
    public const int ManagementPort = 8558;

    /// <summary>Every node lists node 1 as its seed (the store rule decides who forms the cluster after a full restart).</summary>
    public static IReadOnlyList<string> Seeds(NetworkSplit network, int node) =>
        ["--seed", $"{network.Address(1)}:{NamespacedCluster.Port}"];

    /// <summary>No seed: Cluster Bootstrap with the config method, every node listing every node's management
    /// endpoint, as a fixed set of machines would be configured; <paramref name="requiredContactPoints"/> of them
    /// must answer before a new cluster may be formed (the store still decides which node forms it).</summary>
    public static IReadOnlyList<string> Discovery(NetworkSplit network, int node, int requiredContactPoints = 2) =>
    [
        "--discovery", "config",
        "--management-port", ManagementPort.ToString(),
        "--required-contact-points", requiredContactPoints.ToString(),
        .. Enumerable.Range(1, network.Nodes).SelectMany(n => new[] { "--discovery-endpoint", $"{network.Address(n)}:{ManagementPort}" }),
    ];
}
