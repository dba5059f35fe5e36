using Akka.Configuration;

namespace DistCache.Actors.Cluster;

/// <summary>What connections that have not authenticated may hold of the Redis endpoint, when a password
/// or a users file asks for one: they must authenticate within <see cref="AuthTimeout"/> of connecting,
/// at most <see cref="MaxConnections"/> of them exist at once and at most <see cref="MaxPerAddress"/> from
/// one address. They are counted apart from the authenticated ones, so strangers can take at most this
/// many of the endpoint's 10,000 connections and never lock out a client that has the password.</summary>
public sealed record RespStrangerLimits(TimeSpan AuthTimeout, int MaxConnections, int MaxPerAddress)
{
    public const string AuthTimeoutKey = "distcache.resp.auth-timeout";
    public const string MaxConnectionsKey = "distcache.resp.max-unauthenticated";
    public const string MaxPerAddressKey = "distcache.resp.max-unauthenticated-per-address";

    public static readonly RespStrangerLimits Default = new(TimeSpan.FromSeconds(10), 1000, 100);

    public static RespStrangerLimits From(Config config)
    {
        var timeout = config.GetTimeSpan(AuthTimeoutKey, Default.AuthTimeout);
        if (timeout <= TimeSpan.Zero)
            throw new ConfigurationException($"{AuthTimeoutKey} = {timeout} must be more than 0");
        var max = Count(config, MaxConnectionsKey, Default.MaxConnections);
        var perAddress = Count(config, MaxPerAddressKey, Default.MaxPerAddress);
        if (perAddress > max)
            throw new ConfigurationException($"{MaxPerAddressKey} = {perAddress} is more than {MaxConnectionsKey} = {max}");
        return new RespStrangerLimits(timeout, max, perAddress);
    }

    private static int Count(Config config, string key, int fallback)
    {
        var raw = config.GetString(key, fallback.ToString());
        return int.TryParse(raw, out var count) && count is >= 1 and <= 10_000
            ? count
            : throw new ConfigurationException($"{key} = '{raw}' must be an integer from 1 to 10000");
    }
}
