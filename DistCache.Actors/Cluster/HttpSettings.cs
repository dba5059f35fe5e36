using Akka.Configuration;
using DistCache.Actors.Security;

namespace DistCache.Actors.Cluster;

/// <summary>The <c>distcache.http { … }</c> section: who may read the node's HTTP port (--http-port).
/// The token is read from its file here, once at start-up, so a missing or empty file stops the host
/// before it joins a cluster rather than when the first scrape arrives.</summary>
public sealed record HttpSettings(BearerToken? Token, bool ProtectHealth)
{
    /// <summary>The token itself, kept only with discovery on: a node sends it to the other nodes' management
    /// endpoints, which require it as the HTTP port does. Without discovery only its hash is kept.</summary>
    public string? TokenToSend { get; init; }

    public const string TokenFileSetting = "distcache.http.token-file";
    public const string ProtectHealthSetting = "distcache.http.protect-health";

    /// <summary>No token: every path answers anyone, as before the setting existed.</summary>
    public static readonly HttpSettings Open = new(null, false);

    public static HttpSettings From(Config distcache, bool keepTokenToSend = false)
    {
        var file = distcache.GetString("http.token-file", "");
        var setting = $"{TokenFileSetting} (--http-token-file)";
        // Read once: the hash checks callers; the token itself is kept only when this node must send it.
        var secret = string.IsNullOrEmpty(file) ? null : BearerToken.ReadFile(file, setting);
        var token = secret is null ? null : new BearerToken(secret);

        var protectRaw = distcache.GetString("http.protect-health", "off");
        var protectHealth = protectRaw.ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw new ConfigurationException($"{ProtectHealthSetting} = '{protectRaw}' is not one of: on, off"),
        };
        // Protecting health with no token to check would leave the probes open while the operator believes
        // them closed.
        if (protectHealth && token is null)
            throw new ConfigurationException($"{ProtectHealthSetting} = on needs {TokenFileSetting} (--http-token-file)");
        return new HttpSettings(token, protectHealth)
        {
            TokenToSend = keepTokenToSend ? secret : null,
        };
    }
}
