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
    private readonly Dictionary<int, RespLoopConnection> _connections = [];
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

    public bool OnLoopThread => Thread.CurrentThread == _thread;

    public void Post(Action work)
    {
        _posted.Enqueue(work);
        Epoll.Signal(_wake);
    }

    /// <summary>Starts serving <paramref name="connection"/> (from any thread).</summary>
    public void Attach(RespLoopConnection connection)
    {
        Interlocked.Increment(ref _count);
        Post(() =>
        {
            _connections[connection.Fd] = connection;
            connection.Attached();
        });
    }

    /// <summary>On the loop's thread, after the connection left epoll and before its socket closes, so a
    /// reused descriptor never meets the old connection.</summary>
    public void Detach(RespLoopConnection connection)
    {
        if (_connections.Remove(connection.Fd))
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
                else if (_connections.TryGetValue(fd, out var connection))
                {
                    // A fault in one connection's handling closes that connection; the loop carries on.
                    try
                    {
                        connection.OnReady(ready);
                    }
                    catch (Exception ex)
                    {
                        _fault(ex);
                        connection.Abort();
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
