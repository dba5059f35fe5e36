using System.Net.Sockets;

namespace DistCache.Host.Resp.Loop;

/// <summary>What a connection on an event loop reacts to: epoll's events for its socket, on the loop's thread.</summary>
internal interface ILoopHandler
{
    void OnReady(uint events);
}

/// <summary>A non-blocking socket served by one <see cref="RespEventLoop"/>: what epoll watches for it
/// (readable, writable: asked for from any thread), leaving epoll on a hang-up (which epoll would otherwise
/// report again and again), and the close, done on the loop's thread so the descriptor leaves epoll and the
/// loop before it can be reused.</summary>
internal sealed class LoopSocket
{
    private readonly object _gate = new();
    private ILoopHandler? _handler;
    // Under _gate.
    private bool _inEpoll;
    private bool _left;
    private bool _reading;
    private bool _writing;
    private uint _watched;
    private int _closed;

    public LoopSocket(Socket socket, RespEventLoop loop)
    {
        Socket = socket;
        Loop = loop;
        socket.Blocking = false;
        Fd = (int)socket.SafeHandle.DangerousGetHandle();
    }

    public Socket Socket { get; }

    public RespEventLoop Loop { get; }

    public int Fd { get; }

    /// <summary>Starts serving: <paramref name="handler"/> gets this socket's events from now on.</summary>
    public void Attach(ILoopHandler handler)
    {
        _handler = handler;
        Loop.Attach(this);
    }

    /// <summary>On the loop's thread, once the loop knows the descriptor.</summary>
    public void Attached()
    {
        lock (_gate)
        {
            if (_left)
                return;
            _inEpoll = true;
            _watched = Interest();
            Epoll.Add(Loop.EpollFd, Fd, _watched);
        }
    }

    public void OnReady(uint events) => _handler!.OnReady(events);

    /// <summary>False when the socket has left epoll (hung up or closed): nothing will report it readable.</summary>
    public bool WantReadable(bool reading)
    {
        lock (_gate)
        {
            _reading = reading;
            return Watch();
        }
    }

    /// <summary>False when the socket has left epoll: nothing will report it writable.</summary>
    public bool WantWritable(bool writing)
    {
        lock (_gate)
        {
            _writing = writing;
            return Watch();
        }
    }

    /// <summary>On a hang-up or error: epoll would report it until the descriptor leaves.</summary>
    public void LeaveEpoll()
    {
        lock (_gate)
        {
            if (_inEpoll)
                Epoll.Remove(Loop.EpollFd, Fd);
            _inEpoll = false;
            _left = true;
        }
    }

    /// <summary>From any thread (CLIENT KILL, the node stopping): the loop sees the socket hung up.</summary>
    public void Abort()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes the socket on the loop's thread, after it left epoll and the loop; then
    /// <paramref name="closed"/> runs there. Only the first call does anything: a later one could run after
    /// a new connection reused the descriptor (a stream under SslStream is disposed several times).</summary>
    public void Close(Action? closed = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
            return;
        Loop.Post(() =>
        {
            LeaveEpoll();
            Loop.Detach(this);
            Socket.Dispose();
            closed?.Invoke();
        });
    }

    private uint Interest() => (_reading ? Epoll.In : 0) | (_writing ? Epoll.Out : 0);

    private bool Watch()
    {
        if (_left)
            return false;
        var events = Interest();
        if (_inEpoll && events != _watched)
        {
            _watched = events;
            Epoll.Modify(Loop.EpollFd, Fd, events);
        }
        return true;
    }
}
