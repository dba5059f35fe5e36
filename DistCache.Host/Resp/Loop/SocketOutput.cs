using System.IO.Pipelines;
using System.Net.Sockets;

namespace DistCache.Host.Resp.Loop;

/// <summary>A connection's send buffer over its non-blocking socket. A flush sends on the calling thread
/// (the loop's, when every reply was ready); what the socket does not take waits for the loop to see the
/// socket writable (<see cref="OnWritable"/>), and the flush completes from there. One writer at a time uses it
/// (<see cref="RespReplyQueue"/> sees to that).</summary>
internal sealed class SocketOutput(LoopSocket socket) : PipeWriter
{
    private const int InitialSize = 16 * 1024;

    private byte[] _buffer = new byte[InitialSize];
    private int _start;
    private int _end;
    private TaskCompletionSource<FlushResult>? _waiting;
    private Exception? _failed;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _end - _start;

    public override void Advance(int bytes) => _end += bytes;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_end);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_end);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_failed is not null)
            return ValueTask.FromException<FlushResult>(_failed);
        if (SendAll())
            return new ValueTask<FlushResult>(default(FlushResult));
        // The writer goes on from the pool, never inside the loop's bookkeeping.
        var waiting = new TaskCompletionSource<FlushResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Published before the loop is asked to watch, so the loop's OnWritable finds it.
        Volatile.Write(ref _waiting, waiting);
        // Hung up while this flush got ready to wait: nothing would wake it.
        if (!socket.WantWritable(true))
            Fail(new IOException("the connection was reset"));
        return new ValueTask<FlushResult>(waiting.Task);
    }

    /// <summary>On the loop's thread: the socket takes more. Completes the waiting flush once all is sent.</summary>
    public void OnWritable()
    {
        var waiting = Volatile.Read(ref _waiting);
        if (waiting is null)
            return;
        try
        {
            if (!SendAll())
                return;
        }
        catch (Exception ex)
        {
            Fail(ex);
            return;
        }
        _waiting = null;
        socket.WantWritable(false);
        waiting.TrySetResult(default);
    }

    /// <summary>The connection is gone: a waiting flush and every later one fail with <paramref name="error"/>.</summary>
    public void Fail(Exception error)
    {
        _failed ??= error;
        var waiting = Interlocked.Exchange(ref _waiting, null);
        waiting?.TrySetException(error);
    }

    // Sends until the socket would block; true when nothing is left.
    private bool SendAll()
    {
        while (_start < _end)
        {
            var sent = socket.Socket.Send(_buffer.AsSpan(_start, _end - _start), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
                return false;
            if (error != SocketError.Success)
                throw new SocketException((int)error);
            _start += sent;
        }
        _start = _end = 0;
        if (_buffer.Length > InitialSize)
            _buffer = new byte[InitialSize];
        return true;
    }

    private void Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _end >= sizeHint)
            return;
        var pending = _end - _start;
        var target = _buffer.Length - pending >= sizeHint && _start > 0
            ? _buffer
            : new byte[Math.Max(_buffer.Length * 2, pending + sizeHint)];
        Buffer.BlockCopy(_buffer, _start, target, 0, pending);
        _buffer = target;
        _start = 0;
        _end = pending;
    }

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }
}
