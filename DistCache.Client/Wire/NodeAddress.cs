namespace DistCache.Wire;

/// <summary>How a client names a node: its actor system's name, its `host:port` contact points, and
/// the path of the gateway that takes client requests.</summary>
public static class NodeAddress
{
    public const string SystemName = "distcache";

    public const string GatewayName = "gateway";

    public const string GatewayPath = "/user/" + GatewayName;

    public static bool TryParseHostPort(string value, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out port) || port is <= 0 or > 65535)
            return false;
        host = value[..colon];
        return true;
    }
}
