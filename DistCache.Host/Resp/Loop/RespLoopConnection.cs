using System.Buffers;
using System.Net.Sockets;
using DistCache.Actors.Gateway;

namespace DistCache.Host.Resp.Loop;

/// <summary>One plain-text client served by an <see cref="RespEventLoop"/>: when its socket is readable
/// the loop reads it once, starts the requests it holds (<see cref="RespRequestStarter"/>) and sends the
/// replies that are ready with one non-blocking send, all on the loop's thread. A reply still on its way
/// (another node, a durable write) is sent by the thread that completes it. While the starter waits
/// (a command spanning partitions behind earlier replies, a client that does not read) the loop stops
/// reading this socket and resumes when the wait is over.</summary>
internal sealed class RespLoopConnection
{
    private const int InitialInput = 16 * 1024;

    private readonly Socket _socket;
    private readonly RespEventLoop _loop;
    private readonly RequestSink _requests;
    private readonly RespReplyQueue _replies;
    private readonly RespRequestStarter _starter;
    private readonly SocketOutput _output;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private readonly Action _resume;
    private byte[] _input = new byte[InitialInput];
    private int _inputStart;
    private int _inputEnd;
    // Under _gate: what epoll watches for.
    private bool _inEpoll;
    private bool _reading = true;
    private bool _writing;
    private uint _watched;
    // The loop's thread only.
    private bool _closing;

    public RespLoopConnection(Socket socket, RespEventLoop loop, RespSession session, RespCommands commands, RespLimits limits,
        RequestSink requests, RespAuthFailures authFailures, Func<int, Action, RespClient> client)
    {
        _socket = socket;
        _loop = loop;
        _requests = requests;
        socket.Blocking = false;
        Fd = (int)socket.SafeHandle.DangerousGetHandle();
        Id = session.Id;
        Client = client(Fd, Abort);
        _output = new SocketOutput(socket, WantWritable);
        _replies = new RespReplyQueue(_output, CancellationToken.None);
        _starter = new RespRequestStarter(session, commands, limits, requests, authFailures, _replies, Client, socket.RemoteEndPoint);
        _resume = () => Process(resumed: true);
    }

    public int Fd { get; }

    public long Id { get; }

    public RespClient Client { get; }

    /// <summary>Completes once the connection is closed and everything it owed was sent or given up.</summary>
    public Task Completion => _done.Task;

    /// <summary>From any thread (CLIENT KILL, the node stopping): the loop sees the socket hung up and closes it.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>On the loop's thread, once the loop knows the descriptor.</summary>
    public void Attached()
    {
        lock (_gate)
        {
            _inEpoll = true;
            _watched = Epoll.In;
            Epoll.Add(_loop.EpollFd, Fd, _watched);
        }
    }

    /// <summary>On the loop's thread: epoll reported <paramref name="events"/>.</summary>
    public void OnReady(uint events)
    {
        if ((events & (Epoll.Error | Epoll.HangUp)) != 0)
        {
            HungUp();
            return;
        }
        if ((events & Epoll.Out) != 0)
            _output.OnWritable();
        // _reading changes on this thread only; an event read before a pause in the same wait is ignored.
        if ((events & Epoll.In) != 0 && _reading && !_closing)
            Receive();
    }

    private void Receive()
    {
        if (_inputEnd == _input.Length)
            MakeRoom();
        var read = _socket.Receive(_input.AsSpan(_inputEnd), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
            return;
        if (error != SocketError.Success || read == 0)
        {
            // A request cut off by the client closing is dropped: nothing half-read is ever executed.
            BeginClose();
            return;
        }
        _inputEnd += read;
        Process(resumed: false);
    }

    private void Process(bool resumed)
    {
        if (_closing)
            return;
        var buffer = new ReadOnlySequence<byte>(_input, _inputStart, _inputEnd - _inputStart);
        var wait = _starter.Start(ref buffer);
        _inputStart = _inputEnd - (int)buffer.Length;
        if (_inputStart == _inputEnd)
        {
            _inputStart = _inputEnd = 0;
            if (_input.Length > InitialInput)
                _input = new byte[InitialInput];
        }
        // Everything this read asked for has started: what is ready goes out in one send.
        _ = _replies.Write();
        if (wait is not null)
        {
            SetReading(false);
            wait.ContinueWith(static (_, state) => ((RespLoopConnection)state!).ResumeLater(), this, TaskContinuationOptions.ExecuteSynchronously);
            return;
        }
        if (_starter.Closing)
            BeginClose();
        else if (resumed)
            SetReading(true);
    }

    private void ResumeLater() => _loop.Post(_resume);

    // The buffer is full of one unfinished request: move it to the front, or grow (the starter refuses a
    // request over the limit before the buffer outgrows it).
    private void MakeRoom()
    {
        var pending = _inputEnd - _inputStart;
        var target = _inputStart > 0 ? _input : new byte[_input.Length * 2];
        Buffer.BlockCopy(_input, _inputStart, target, 0, pending);
        _input = target;
        _inputStart = 0;
        _inputEnd = pending;
    }

    private void HungUp()
    {
        _output.Fail(new IOException("the connection was reset"));
        lock (_gate)
        {
            // Hang-ups are reported until the descriptor leaves epoll: it leaves now.
            if (_inEpoll)
                Epoll.Remove(_loop.EpollFd, Fd);
            _inEpoll = false;
        }
        BeginClose();
    }

    private void BeginClose()
    {
        if (_closing)
            return;
        _closing = true;
        SetReading(false);
        _ = FinishAsync();
    }

    private async Task FinishAsync()
    {
        try
        {
            await _replies.FinishAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away: what it was owed is given up.
        }
        _loop.Post(Closed);
    }

    // On the loop's thread: out of epoll and the loop before the descriptor is released for reuse.
    private void Closed()
    {
        lock (_gate)
        {
            if (_inEpoll)
                Epoll.Remove(_loop.EpollFd, Fd);
            _inEpoll = false;
        }
        _loop.Detach(this);
        _socket.Dispose();
        _requests.Dispose();
        _done.TrySetResult();
    }

    private void SetReading(bool reading)
    {
        lock (_gate)
        {
            _reading = reading;
            Watch();
        }
    }

    private void WantWritable(bool writing)
    {
        bool gone;
        lock (_gate)
        {
            _writing = writing;
            gone = !_inEpoll;
            Watch();
        }
        // Hung up while a flush was getting ready to wait: nothing would wake it.
        if (writing && gone)
            _output.Fail(new IOException("the connection was reset"));
    }

    private void Watch()
    {
        var events = (_reading ? Epoll.In : 0) | (_writing ? Epoll.Out : 0);
        if (!_inEpoll || events == _watched)
            return;
        _watched = events;
        Epoll.Modify(_loop.EpollFd, Fd, events);
    }
}
