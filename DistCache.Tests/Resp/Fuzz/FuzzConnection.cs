using System.Net.Sockets;
using System.Text;

namespace DistCache.Tests.Resp.Fuzz;

/// <summary>One of the fuzz test's clients: connects, authenticates or not, writes a random number of frames
/// while draining whatever comes back (the replies are not checked), then closes its side and expects the node
/// to close the connection too. The node closing it first, as it does after a protocol error, only means a new
/// connection. A send the node does not take, a connection it does not close, or a connect it does not accept,
/// each within <paramref name="patience"/> (<see cref="Patience"/> unless told), is a hang; it is counted, and the
/// frames that led to it are kept. Where a connection ends and whether it authenticates come from
/// <paramref name="sessions"/>, apart from the frames, so a seed gives each connection the same frames in
/// the same order even when the node closes connections at other points (but for the rare frame screened
/// out, which depends on what went before it on its connection).</summary>
public sealed class FuzzConnection(int port, RespFrameMutator mutator, Random sessions, TimeSpan? patience = null)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private const int Remembered = 8;

    private readonly TimeSpan _patience = patience ?? Patience;
    private readonly Queue<byte[]> _recent = new();
    private long _received;

    public long Frames { get; private set; }
    public long Connections { get; private set; }
    public long ClosedByNode { get; private set; }
    public long Screened { get; private set; }
    public long BytesReceived => Interlocked.Read(ref _received);
    public List<string> Hangs { get; } = [];

    /// <summary>Writes frames until <paramref name="until"/> or <paramref name="maxFrames"/>, whichever comes
    /// first; stops early after a hang, since what follows one says nothing more.</summary>
    public async Task RunAsync(DateTime until, long maxFrames)
    {
        while (DateTime.UtcNow < until && Frames < maxFrames && Hangs.Count == 0)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using (var connecting = new CancellationTokenSource(_patience))
            {
                try
                {
                    await socket.ConnectAsync("127.0.0.1", port, connecting.Token);
                }
                catch (OperationCanceledException)
                {
                    Hang("the node accepted no connection");
                    return;
                }
            }
            Connections++;
            var screen = new ForbiddenWords();
            var draining = DrainAsync(socket);
            // Mostly a few dozen frames, now and then just one to three.
            var frames = sessions.Next(4) == 0 ? sessions.Next(1, 4) : sessions.Next(4, 120);
            var sending = sessions.Next(2) == 0 || await SendAsync(socket, Screen(screen, mutator.Authentication()));
            for (var i = 0; sending && i < frames && !draining.IsCompleted && DateTime.UtcNow < until && Frames < maxFrames; i++)
                sending = await SendAsync(socket, Screen(screen, mutator.Next()));
            if (!sending || draining.IsCompleted)
                ClosedByNode++;
            // Our side closes: the node must finish what it owes and close its side too.
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
            if (await Task.WhenAny(draining, Task.Delay(_patience)) != draining)
                Hang("the node kept the connection open after the client closed its side");
        }
    }

    /// <summary>The last frames sent, escaped, to replay a hang by hand.</summary>
    public string Recent() => string.Join("\n", _recent.Select(Escape));

    private byte[] Screen(ForbiddenWords screen, byte[] frame)
    {
        while (!screen.Allows(frame))
        {
            Screened++;
            frame = mutator.Next();
        }
        return frame;
    }

    private async Task<bool> SendAsync(Socket socket, byte[] frame)
    {
        _recent.Enqueue(frame);
        if (_recent.Count > Remembered)
            _recent.Dequeue();
        using var sending = new CancellationTokenSource(_patience);
        try
        {
            await socket.SendAsync(frame, SocketFlags.None, sending.Token);
            Frames++;
            return true;
        }
        catch (OperationCanceledException)
        {
            Hang("the node took no more of a request");
            return false;
        }
        catch (SocketException)
        {
            // The node closed the connection (after a protocol error): expected.
            return false;
        }
    }

    /// <summary>Reads until the connection ends, closed or reset.</summary>
    private async Task DrainAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                    return;
                Interlocked.Add(ref _received, read);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private void Hang(string what) => Hangs.Add($"{what} (port {port}); last frames sent on it:\n{Recent()}");

    private static string Escape(byte[] frame)
    {
        var text = new StringBuilder();
        foreach (var b in frame.Take(300))
            text.Append(b is >= 32 and < 127 and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
        return frame.Length > 300 ? text.Append($"… ({frame.Length} bytes)").ToString() : text.ToString();
    }
}
