using System.Globalization;
using System.Net;
using DistCache.Wire;

namespace DistCache.Actors.Cluster;

/// <summary>The Redis endpoint a node tells clients and the other nodes. It travels as an Akka cluster
/// role, <c>resp=&lt;host&gt;:&lt;port&gt;</c>: roles are fixed at start-up and gossiped with membership, so
/// every node knows every other node's endpoint as soon as it knows the member, with no protocol of its own.</summary>
public sealed record RespAnnounce(string Host, int Port)
{
    public const string RolePrefix = "resp=";

    public const string HostKey = "distcache.resp.announce-host";
    public const string PortKey = "distcache.resp.announce-port";

    public string Role => RolePrefix + this;

    // As Redis writes it in MOVED and CLUSTER NODES: host, colon, port (an IPv6 address is not bracketed).
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The endpoint in a member's roles, if it has one (a node without --resp-port has none).</summary>
    public static RespAnnounce? FromRoles(IEnumerable<string> roles)
    {
        foreach (var role in roles)
        {
            if (role.StartsWith(RolePrefix, StringComparison.Ordinal)
                && NodeAddress.TryParseHostPort(role[RolePrefix.Length..], out var host, out var port))
                return new RespAnnounce(host, port);
        }
        return null;
    }

    /// <summary>What the node announces: the settings when given, else the bound host (the machine's name for
    /// a wildcard, as the cluster port's public-hostname) and the Redis port; null when there is no port to name.</summary>
    public static RespAnnounce? For(RespSettings settings, string boundHost, int? respPort)
    {
        var port = settings.AnnouncePort ?? respPort;
        if (port is not { } p)
            return null;
        var host = settings.AnnounceHost ?? (boundHost is "0.0.0.0" or "::" ? Dns.GetHostName() : boundHost);
        return new RespAnnounce(host, p);
    }
}
