using System.Collections.Concurrent;

namespace DistCache.Host.Resp.Loop;

/// <summary>One thread waiting on its own epoll for the connections it was given, Redis-style: a readable
/// socket is read, its requests start and the replies that are ready are sent, all on this thread, with no
/// hand-off to the thread pool. Other threads reach a connection through <see cref="Post"/>, which runs
/// the work here (an eventfd wakes the wait).</summary>
internal sealed class RespEventLoop : IDisposable
{
    private const int MaxEvents = 256;

    private readonly int _epoll = Epoll.Create();
    private readonly int _wake = Epoll.CreateEventFd();
    private readonly ConcurrentQueue<Action> _posted = new();
    // Touched on the loop's thread only.
    private readonly Dictionary<int, LoopSocket> _sockets = [];
    private readonly Action<Exception> _fault;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _count;

    public RespEventLoop(string name, Action<Exception> fault)
    {
        _fault = fault;
        Epoll.Add(_epoll, _wake, Epoll.In);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Connections served by this loop, for spreading new ones.</summary>
    public int Count => Volatile.Read(ref _count);

    public int EpollFd => _epoll;

    public void Post(Action work)
    {
        _posted.Enqueue(work);
        Epoll.Signal(_wake);
    }

    /// <summary>Starts serving <paramref name="socket"/> (from any thread).</summary>
    public void Attach(LoopSocket socket)
    {
        Interlocked.Increment(ref _count);
        Post(() =>
        {
            _sockets[socket.Fd] = socket;
            socket.Attached();
        });
    }

    /// <summary>On the loop's thread, after the socket left epoll and before it closes, so a reused
    /// descriptor never meets the old connection. Only this very socket leaves: its descriptor may already
    /// belong to a newer connection.</summary>
    public void Detach(LoopSocket socket)
    {
        if (!_sockets.TryGetValue(socket.Fd, out var known) || !ReferenceEquals(known, socket))
            return;
        _sockets.Remove(socket.Fd);
        Interlocked.Decrement(ref _count);
    }

    private void Run()
    {
        var events = new byte[MaxEvents * Epoll.EventSize];
        while (!_stopping)
        {
            int count;
            try
            {
                count = Epoll.Wait(_epoll, events, -1);
            }
            catch (Exception ex)
            {
                _fault(ex);
                return;
            }
            for (var i = 0; i < count; i++)
            {
                var (fd, ready) = Epoll.EventAt(events, i);
                if (fd == _wake)
                {
                    Epoll.Drain(_wake);
                    RunPosted();
                }
                else if (_sockets.TryGetValue(fd, out var socket))
                {
                    // A fault in one connection's handling closes that connection; the loop carries on.
                    try
                    {
                        socket.OnReady(ready);
                    }
                    catch (Exception ex)
                    {
                        _fault(ex);
                        socket.Abort();
                    }
                }
            }
        }
    }

    private void RunPosted()
    {
        while (_posted.TryDequeue(out var work))
        {
            try
            {
                work();
            }
            catch (Exception ex)
            {
                _fault(ex);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        Epoll.Signal(_wake);
        _thread.Join(TimeSpan.FromSeconds(5));
        Epoll.Close(_wake);
        Epoll.Close(_epoll);
    }
}
