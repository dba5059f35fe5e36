using System.Net;
using System.Net.Sockets;
using Akka.Configuration;

namespace DistCache.Actors.Cluster;

/// <summary>Refuses to start on a port another process already listens on. The transport binds with
/// address reuse, so without this check a second host would silently share the port and clients would
/// be spread over two unrelated clusters.</summary>
public static class PortGuard
{
    public static void EnsureFree(string host, int port)
    {
        if (port == 0)
            return;
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : IPAddress.Any;
        try
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.ExclusiveAddressUse = true;
            probe.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException ex)
        {
            throw new ConfigurationException($"--port {port}: {host}:{port} is already in use ({ex.SocketErrorCode}); is another DistCache host running?");
        }
    }
}
