using Akka.Configuration;

namespace DistCache.Actors.Cluster;

/// <summary>The <c>distcache.resp { … }</c> section: who may use the Redis endpoint.
/// <see cref="RequirePass"/> null means no password (Redis's default user with <c>nopass</c>).
/// <see cref="UsersFile"/> is the path of an ACL users file, read and checked by the Redis endpoint
/// (which knows the commands and categories its rules name); it excludes a requirepass.
/// <see cref="IoThreads"/> is how many event loops serve plain-text connections; null is auto (half the
/// cores where epoll is available), 0 leaves every connection to .NET's asynchronous sockets.
/// <see cref="ClusterMode"/>, <see cref="AnnounceHost"/> and <see cref="AnnouncePort"/> say whether it speaks
/// Redis Cluster and what endpoint it names for itself (null: the bound host, the Redis port).
/// <see cref="TrackingTableMaxKeys"/> bounds the keys CLIENT TRACKING remembers per endpoint (0: no bound).</summary>
public sealed record RespSettings(RespPassword? RequirePass, int MaxAuthFailures, string? UsersFile = null, int? IoThreads = null,
    RespStrangerLimits? StrangerLimits = null, RespClusterMode ClusterMode = RespClusterMode.Off, string? AnnounceHost = null,
    int? AnnouncePort = null, int TrackingTableMaxKeys = RespSettings.DefaultTrackingTableMaxKeys)
{
    public const string TrackingTableMaxKeysKey = "distcache.resp.tracking-table-max-keys";

    /// <summary>Redis's default for tracking-table-max-keys.</summary>
    public const int DefaultTrackingTableMaxKeys = 1_000_000;

    public const string ClusterModeKey = "distcache.resp.cluster-mode";

    /// <summary>Limits on connections that have not authenticated (<see cref="RespStrangerLimits"/>).</summary>
    public RespStrangerLimits Strangers => StrangerLimits ?? RespStrangerLimits.Default;

    public const string IoThreadsKey = "distcache.resp.io-threads";
    public const string RequirePassFileKey = "distcache.resp.requirepass-file";
    public const string UsersFileKey = "distcache.resp.users-file";
    public const string MaxAuthFailuresKey = "distcache.resp.max-auth-failures";

    public static readonly RespSettings Open = new(null, 10);

    /// <summary>Reads the section of the full configuration; the password file is read here, once, so a
    /// bad one stops the host before anything listens.</summary>
    public static RespSettings From(Config config)
    {
        var file = config.GetString(RequirePassFileKey, "");
        var password = string.IsNullOrEmpty(file) ? null : RespPassword.FromFile(Path.GetFullPath(file), $"{RequirePassFileKey} (--resp-password-file)");
        var raw = config.GetString(MaxAuthFailuresKey, "10");
        if (!int.TryParse(raw, out var failures) || failures < 1)
            throw new ConfigurationException($"{MaxAuthFailuresKey} = '{raw}' must be an integer of at least 1");
        var users = config.GetString(UsersFileKey, "");
        if (password is not null && !string.IsNullOrEmpty(users))
            throw new ConfigurationException(
                $"{RequirePassFileKey} (--resp-password-file) and {UsersFileKey} (--resp-users) are both set: use one " +
                "(with a users file, give user 'default' its password there)");
        var announceHost = config.GetString(RespAnnounce.HostKey, "");
        return new RespSettings(password, failures, string.IsNullOrEmpty(users) ? null : Path.GetFullPath(users), IoThreadsFrom(config),
            RespStrangerLimits.From(config), ClusterModeFrom(config), string.IsNullOrWhiteSpace(announceHost) ? null : announceHost.Trim(),
            AnnouncePortFrom(config), TrackingTableMaxKeysFrom(config));
    }

    private static int TrackingTableMaxKeysFrom(Config config)
    {
        var raw = config.GetString(TrackingTableMaxKeysKey, DefaultTrackingTableMaxKeys.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return int.TryParse(raw, out var keys) && keys >= 0
            ? keys
            : throw new ConfigurationException($"{TrackingTableMaxKeysKey} = '{raw}' must be an integer of at least 0 (0: no bound)");
    }

    private static RespClusterMode ClusterModeFrom(Config config)
    {
        var raw = config.GetString(ClusterModeKey, "off");
        return raw.ToLowerInvariant() switch
        {
            "auto" => RespClusterMode.Auto,
            "on" or "yes" or "true" => RespClusterMode.On,
            "off" or "no" or "false" => RespClusterMode.Off,
            _ => throw new ConfigurationException($"{ClusterModeKey} = '{raw}' is not one of: auto, on, off"),
        };
    }

    private static int? AnnouncePortFrom(Config config)
    {
        var raw = config.GetString(RespAnnounce.PortKey, "0");
        return int.TryParse(raw, out var port) && port is >= 0 and <= 65535
            ? port == 0 ? null : port
            : throw new ConfigurationException($"{RespAnnounce.PortKey} = '{raw}' must be a TCP port (1-65535), or 0 for the --resp-port");
    }

    private static int? IoThreadsFrom(Config config)
    {
        var raw = config.GetString(IoThreadsKey, "auto");
        if (raw == "auto")
            return null;
        return int.TryParse(raw, out var threads) && threads is >= 0 and <= 64
            ? threads
            : throw new ConfigurationException($"{IoThreadsKey} = '{raw}' must be auto or an integer from 0 to 64");
    }
}
