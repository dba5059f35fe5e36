using System.Globalization;
using System.Net;
using DistCache.Wire;

namespace DistCache.Actors.Cluster;

/// <summary>The Redis endpoint a node tells clients and the other nodes. It travels as an Akka cluster
/// role, <c>resp=&lt;host&gt;:&lt;port&gt;</c>: roles are fixed at start-up and gossiped with membership, so
/// every node knows every other node's endpoint as soon as it knows the member, with no protocol of its own.
/// <see cref="Tls"/>: the port speaks TLS only (<c>distcache.tls.resp</c>), which a second role, <c>resp-tls</c>,
/// says; a role of its own rather than another form of <c>resp=</c>, so a node that does not know it still
/// reads the endpoint.</summary>
public sealed record RespAnnounce(string Host, int Port, bool Tls = false)
{
    public const string RolePrefix = "resp=";
    public const string TlsRole = "resp-tls";

    public const string HostKey = "distcache.resp.announce-host";
    public const string PortKey = "distcache.resp.announce-port";

    /// <summary>The member roles that carry this endpoint.</summary>
    public IEnumerable<string> Roles => Tls ? [RolePrefix + this, TlsRole] : [RolePrefix + this];

    /// <summary>A role that <see cref="Roles"/> writes (the node's own replace any given in its configuration).</summary>
    public static bool IsAnnounceRole(string role) => role.StartsWith(RolePrefix, StringComparison.Ordinal) || role == TlsRole;

    // As Redis writes it in MOVED and CLUSTER NODES: host, colon, port (an IPv6 address is not bracketed).
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The endpoint in a member's roles, if it has one (a node without --resp-port has none).</summary>
    public static RespAnnounce? FromRoles(IEnumerable<string> roles)
    {
        RespAnnounce? endpoint = null;
        var tls = false;
        foreach (var role in roles)
        {
            if (endpoint is null && role.StartsWith(RolePrefix, StringComparison.Ordinal)
                && NodeAddress.TryParseHostPort(role[RolePrefix.Length..], out var host, out var port))
                endpoint = new RespAnnounce(host, port);
            tls |= role == TlsRole;
        }
        return endpoint is null ? null : endpoint with { Tls = tls };
    }

    /// <summary>What the node announces: the settings when given, else the bound host (the machine's name for
    /// a wildcard, as the cluster port's public-hostname) and the Redis port; null when there is no port to name.
    /// <paramref name="tls"/>: the Redis port speaks TLS only, so the port announced is a TLS port.</summary>
    public static RespAnnounce? For(RespSettings settings, string boundHost, int? respPort, bool tls = false)
    {
        var port = settings.AnnouncePort ?? respPort;
        if (port is not { } p)
            return null;
        var host = settings.AnnounceHost ?? (boundHost is "0.0.0.0" or "::" ? Dns.GetHostName() : boundHost);
        return new RespAnnounce(host, p, tls);
    }
}
