using System.Net.Sockets;
using System.Text;

namespace DistCache.Tests.Support;

/// <summary>A plain TCP socket to a local port, for tests that write the Redis protocol byte for byte.</summary>
public static class RawSocket
{
    public static async Task<Socket> OpenAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", port);
        return socket;
    }

    /// <summary>Reads until <paramref name="length"/> bytes arrived or the peer closed, each read bounded by <paramref name="patience"/>.</summary>
    public static async Task<string> ReadAsync(Socket socket, int length, TimeSpan patience)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read)).AsTask().WaitAsync(patience);
            if (n == 0)
                break;
            read += n;
        }
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
