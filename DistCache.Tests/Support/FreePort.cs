using System.Net;
using System.Net.Sockets;

namespace DistCache.Tests.Support;

/// <summary>A port no listener holds, for a server a test starts a moment later. Taken below Linux's ephemeral
/// range (32768-60999), in turn from a random start: a port the kernel handed out for a listen on port 0 is one
/// it may also give an outgoing connection before the server binds it, and a CI run failed so ("Address already
/// in use" for a Redis port picked seconds before the node started).</summary>
public static class FreePort
{
    private const int First = 10000;
    private const int Count = 10000; // up to 19999: ClusterScript takes its runs from 20000-31999
    private static int _next = Random.Shared.Next(Count);

    public static int Next()
    {
        for (var tries = 0; tries < Count; tries++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Held by someone: the next one.
            }
        }
        throw new InvalidOperationException($"no free port in {First}-{First + Count - 1}");
    }
}
