using Akka.Actor;
using DistCache.Security;

namespace DistCache.Actors.Cluster;

/// <summary>Before joining under TLS, asks the seeds whether they accept this node's certificate. A seed
/// that refuses it under TLS 1.3 does so after our side of the handshake completed, which Akka.Remote
/// takes for a dropped connection and retries forever: without this check a node with a certificate of
/// another CA would wait to join for ever instead of stopping with a TLS error (exit 2).</summary>
public static class SeedTlsCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    public static async Task CheckAsync(IEnumerable<Address> seeds, Address self, TlsMaterial material)
    {
        var others = seeds.Where(s => s != self && s.Host is not null && s.Port is not null).Distinct().Select(s => (s.Host!, s.Port!.Value)).ToArray();
        if (await TlsContactProbe.RefusedByAllAsync(others, material, Patience) is { } refused)
            throw new TlsHandshakeFailedException($"{TlsHandshakeFailedException.Explanation} (seed {refused.Endpoint}: {refused.Reason})");
    }
}
