using Akka.Actor;
using DistCache.Wire;

namespace DistCache.Client.Contacts;

/// <summary>Every node the client may enter the cluster through: the configured contact points as they
/// resolved (a DNS name stands for each of its addresses), and every node the client has learned of since
/// (the receptionist's contacts, the members a heartbeat reply lists, the nodes of the owner table). The
/// configured contacts are only the way in: once the client has heard from the cluster, losing them all costs
/// nothing while one learned node lives. Owned by the request correlator's thread.</summary>
internal sealed class ContactBook(string scheme)
{
    private readonly HashSet<Address> _configured = [];
    private readonly HashSet<Address> _learned = [];

    /// <summary>The nodes' addresses this client would enter through now, configured ones first.</summary>
    public IReadOnlyList<Address> Nodes => _configured.Concat(_learned.Where(a => !_configured.Contains(a))).ToArray();

    /// <summary>Nodes known beyond the configured contacts.</summary>
    public int LearnedCount => _learned.Count(a => !_configured.Contains(a));

    /// <summary>The receptionists' paths of <see cref="Nodes"/>, what a ClusterClient is given.</summary>
    public IReadOnlyList<ActorPath> Receptionists() =>
        Nodes.Select(a => (ActorPath)new RootActorPath(a) / "system" / "receptionist").ToArray();

    /// <summary>Replaces what the configured contact points resolved to (each <c>host:port</c>); answers
    /// whether a node is new.</summary>
    public bool SetConfigured(IEnumerable<string> endpoints)
    {
        var next = endpoints.Select(NodeOf).OfType<Address>().ToHashSet();
        if (next.Count == 0)
            return false; // a resolution that found nothing keeps the last good answer
        var added = next.Any(a => !_configured.Contains(a) && !_learned.Contains(a));
        _configured.Clear();
        _configured.UnionWith(next);
        return added;
    }

    /// <summary>One node heard of (a receptionist contact, an owner's gateway); answers whether it is new.</summary>
    public bool Learn(Address node) => node.Host is not null && node.Port is not null && !_configured.Contains(node) && _learned.Add(node);

    /// <summary>The cluster's current members as a node listed them: the learned set becomes exactly these,
    /// so a node that left stops being a contact and one that joined becomes one.</summary>
    public bool LearnMembers(IEnumerable<string> memberAddresses)
    {
        var members = memberAddresses.Select(m => Address.TryParse(m, out var a) ? a : null).OfType<Address>()
            .Where(a => a.Host is not null && a.Port is not null).ToHashSet();
        if (members.Count == 0)
            return false;
        var added = members.Any(m => !_learned.Contains(m) && !_configured.Contains(m));
        _learned.Clear();
        _learned.UnionWith(members);
        return added;
    }

    private Address? NodeOf(string endpoint) =>
        NodeAddress.TryParseHostPort(endpoint, out var host, out var port)
            ? new Address(scheme, NodeAddress.SystemName, host, port)
            : null;
}
