using Akka.Configuration;
using DistCache.Security;

namespace DistCache.Actors.Cluster;

/// <summary>Whether a TLS peer must show a certificate of the cluster CA (Redis's <c>tls-auth-clients</c>).</summary>
public enum ClientCertificates { No, Optional, Yes }

/// <summary>The <c>distcache.tls { … }</c> section. <see cref="Material"/> null: every port is plain TCP,
/// as before the section existed. Files are read here, once, so a bad certificate stops the host (exit 2)
/// before anything listens.</summary>
public sealed record TlsSettings(
    TlsMaterial? Material,
    bool Cluster,
    bool Resp,
    bool Http,
    ClientCertificates RespClientCertificates,
    ClientCertificates HttpClientCertificates,
    TimeSpan HandshakeTimeout)
{
    public const string CertSetting = "distcache.tls.cert";
    public const string KeySetting = "distcache.tls.key";
    public const string PasswordFileSetting = "distcache.tls.password-file";
    public const string CaSetting = "distcache.tls.ca";

    public static readonly TlsSettings Off = new(null, false, false, false, ClientCertificates.No, ClientCertificates.No, TimeSpan.FromSeconds(10));

    /// <summary>TLS on the cluster port (node to node, ClusterClient to node).</summary>
    public bool OnCluster => Material is not null && Cluster;

    /// <summary>TLS on the Redis port (--resp-port).</summary>
    public bool OnResp => Material is not null && Resp;

    /// <summary>HTTPS on the HTTP port (--http-port).</summary>
    public bool OnHttp => Material is not null && Http;

    public static TlsSettings From(Config distcache)
    {
        var cert = distcache.GetString("tls.cert", "");
        var key = distcache.GetString("tls.key", "");
        var passwordFile = distcache.GetString("tls.password-file", "");
        var ca = distcache.GetString("tls.ca", "");
        var timeout = distcache.GetTimeSpan("tls.handshake-timeout", TimeSpan.FromSeconds(10));
        if (timeout <= TimeSpan.Zero)
            throw new ConfigurationException("distcache.tls.handshake-timeout must be positive");
        var settings = Off with
        {
            Cluster = Switch(distcache, "cluster"),
            Resp = Switch(distcache, "resp"),
            Http = Switch(distcache, "http"),
            RespClientCertificates = Clients(distcache, "resp-auth-clients"),
            HttpClientCertificates = Clients(distcache, "http-auth-clients"),
            HandshakeTimeout = timeout,
        };
        if (string.IsNullOrEmpty(cert))
        {
            foreach (var (value, setting) in new[] { (key, KeySetting + " (--tls-key)"), (ca, CaSetting + " (--tls-ca)"), (passwordFile, PasswordFileSetting + " (--tls-password-file)") })
                if (!string.IsNullOrEmpty(value))
                    throw new ConfigurationException($"{setting} is set but {CertSetting} (--tls-cert) is not: TLS needs the node's certificate");
            return settings;
        }
        if (string.IsNullOrEmpty(ca))
            throw new ConfigurationException($"{CaSetting} (--tls-ca) is required with {CertSetting} (--tls-cert): peers are trusted only when they chain to the cluster CA");
        var material = TlsMaterial.Load(Path.GetFullPath(cert), string.IsNullOrEmpty(key) ? null : Path.GetFullPath(key),
            string.IsNullOrEmpty(passwordFile) ? null : Path.GetFullPath(passwordFile), Path.GetFullPath(ca), TlsMaterial.NodeNames);
        return settings with { Material = material };
    }

    private static bool Switch(Config distcache, string name)
    {
        var raw = distcache.GetString("tls." + name, "on");
        return raw.ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw new ConfigurationException($"distcache.tls.{name} = '{raw}' is not one of: on, off"),
        };
    }

    private static ClientCertificates Clients(Config distcache, string name)
    {
        var raw = distcache.GetString("tls." + name, "no");
        return raw.ToLowerInvariant() switch
        {
            "no" or "off" or "false" => ClientCertificates.No,
            "optional" => ClientCertificates.Optional,
            "yes" or "on" or "true" => ClientCertificates.Yes,
            _ => throw new ConfigurationException($"distcache.tls.{name} = '{raw}' is not one of: no, optional, yes"),
        };
    }
}
