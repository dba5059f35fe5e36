namespace DistCache.Tests.Support;

/// <summary>PEM files for a TLS host process and its clients, made from a per-run <see cref="TestPki"/>:
/// the node's certificate, a client certificate of the same CA, one of a foreign CA, and a HOCON file
/// (cluster TLS off, so these tests exercise the Redis and HTTP ports only).</summary>
public sealed record TlsHostFiles(string Cert, string Key, string Ca, string ClientCert, string ClientKey,
    string ForeignCert, string ForeignKey, string Config)
{
    public static TlsHostFiles Write(string folder, string hocon = "")
    {
        var pki = TestPki.Create();
        var node = pki.Write(folder, "node", pki.Issue("node"));
        var client = pki.Write(folder, "client", pki.Issue("client"));
        var foreignPki = TestPki.Create("Foreign CA");
        var foreign = foreignPki.Write(folder, "foreign", foreignPki.Issue("intruder"), caFile: "foreign-ca.crt");
        var config = Path.Combine(folder, "tls.conf");
        File.WriteAllText(config, "distcache.tls.cluster = off\n" + hocon + "\n");
        return new TlsHostFiles(node.Cert, node.Key, node.Ca, client.Cert, client.Key, foreign.Cert, foreign.Key, config);
    }

    /// <summary>The serve options that turn TLS on with these files.</summary>
    public string[] HostArgs => ["--tls-cert", Cert, "--tls-key", Key, "--tls-ca", Ca, "--config", Config];
}
