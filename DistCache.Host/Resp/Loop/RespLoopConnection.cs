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
internal sealed class RespLoopConnection : ILoopHandler
{
    private const int InitialInput = 16 * 1024;

    private readonly LoopSocket _socket;
    private readonly RequestSink _requests;
    private readonly RespReplyQueue _replies;
    private readonly RespRequestStarter _starter;
    private readonly SocketOutput _output;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _resume;
    private byte[] _input = new byte[InitialInput];
    private int _inputStart;
    private int _inputEnd;
    // The loop's thread only.
    private bool _reading = true;
    private bool _closing;

    public RespLoopConnection(LoopSocket socket, RespSession session, RespCommands commands, RespLimits limits,
        RequestSink requests, RespAuthFailures authFailures, RespClient client, Action? authenticated = null)
    {
        _socket = socket;
        _requests = requests;
        _output = new SocketOutput(socket);
        _replies = new RespReplyQueue(_output, CancellationToken.None);
        session.Pushes = new PubSub.RespPushSink(_replies, session, socket.Abort);
        _starter = new RespRequestStarter(session, commands, limits, requests, authFailures, _replies, client, socket.Socket.RemoteEndPoint, authenticated);
        _resume = () => Process(resumed: true);
        socket.WantReadable(true);
    }

    /// <summary>Completes once the connection is closed and everything it owed was sent or given up.</summary>
    public Task Completion => _done.Task;

    public void OnReady(uint events)
    {
        if ((events & (Epoll.Error | Epoll.HangUp)) != 0)
        {
            _socket.LeaveEpoll();
            _output.Fail(new IOException("the connection was reset"));
            _starter.ClientLeft();
            BeginClose();
            return;
        }
        if ((events & Epoll.Out) != 0)
            _output.OnWritable();
        // An event read in the same wait as a pause is ignored: reading resumes when the wait is over.
        if ((events & Epoll.In) != 0 && _reading && !_closing)
            Receive();
    }

    private void Receive()
    {
        if (_inputEnd == _input.Length)
            MakeRoom();
        var read = _socket.Socket.Receive(_input.AsSpan(_inputEnd), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
            return;
        if (error != SocketError.Success || read == 0)
        {
            // A request cut off by the client closing is dropped: nothing half-read is ever executed.
            _starter.ClientLeft();
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
            Pause(true);
            wait.ContinueWith(static (_, state) => ((RespLoopConnection)state!).ResumeLater(), this, TaskContinuationOptions.ExecuteSynchronously);
            return;
        }
        if (_starter.Closing)
            BeginClose();
        else if (resumed)
            Pause(false);
    }

    private void ResumeLater() => _socket.Loop.Post(_resume);

    private void Pause(bool paused)
    {
        _reading = !paused;
        _socket.WantReadable(!paused);
    }

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

    private void BeginClose()
    {
        if (_closing)
            return;
        _closing = true;
        Pause(true);
        _ = FinishAsync();
    }

    private async Task FinishAsync()
    {
        _starter.Ended();
        try
        {
            await _replies.FinishAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away: what it was owed is given up.
        }
        _socket.Close(() =>
        {
            _requests.Dispose();
            _done.TrySetResult();
        });
    }
}
