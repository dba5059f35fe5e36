using System.Net;
using System.Net.Sockets;
using DistCache.Wire;

namespace DistCache.Client.Contacts;

/// <summary>The default <see cref="DistCacheClientOptions.ContactResolver"/>: a contact point whose host is a
/// name becomes one contact per address the name resolves to (a Kubernetes Service or a round-robin DNS name
/// stands for the whole cluster), plus the name itself for nodes that advertise their name rather than an
/// address. An address literal is itself. Nodes are reached by the address they advertise (<c>--host</c>), so
/// a name stands for them only if they advertise the addresses it resolves to.</summary>
public static class DnsContactResolver
{
    public static async Task<IReadOnlyList<string>> ResolveAsync(string contact, CancellationToken cancellation)
    {
        if (!NodeAddress.TryParseHostPort(contact, out var host, out var port))
            return [];
        if (IPAddress.TryParse(host.Trim('[', ']'), out _))
            return [contact];
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellation).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // An unknown name now may resolve later: keep the name, re-resolved when every contact fails.
            return [contact];
        }
        return addresses.Select(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]:{port}" : $"{a}:{port}")
            .Prepend(contact).Distinct().ToArray();
    }
}
