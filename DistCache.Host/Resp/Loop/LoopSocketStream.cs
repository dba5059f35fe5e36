using System.Net.Sockets;

namespace DistCache.Host.Resp.Loop;

/// <summary>A socket on an event loop as a <see cref="Stream"/>, for what needs one (SslStream): a read or
/// write the socket cannot take now waits for epoll, and once <see cref="CompleteOnLoop"/> is set it
/// completes on the loop's thread, so the reader (TLS decryption, then the connection's requests) runs
/// there as a plain connection's does. Until then (the TLS handshake, whose CPU should not hold up the
/// loop's other connections) completions go to the thread pool. One read and one write at a time, as
/// SslStream issues them.</summary>
internal sealed class LoopSocketStream(LoopSocket socket) : Stream, ILoopHandler
{
    private TaskCompletionSource<int>? _read;
    private Memory<byte> _readInto;
    private TaskCompletionSource? _write;
    private ReadOnlyMemory<byte> _writeLeft;
    private CancellationTokenRegistration _readCancel;
    private volatile bool _hungUp;

    public bool CompleteOnLoop { get; set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TryReceive(buffer, out var read))
            return new ValueTask<int>(read);
        var waiting = new TaskCompletionSource<int>(Options());
        _readInto = buffer;
        Volatile.Write(ref _read, waiting);
        if (cancellationToken.CanBeCanceled)
            _readCancel = cancellationToken.Register(() =>
            {
                if (Interlocked.Exchange(ref _read, null) is not { } cancelled)
                    return;
                // Readable events with no read waiting would be reported again and again.
                socket.WantReadable(false);
                cancelled.TrySetCanceled(cancellationToken);
            });
        // Hung up meanwhile: the read sees the end of the stream.
        if (!socket.WantReadable(true))
            Interlocked.Exchange(ref _read, null)?.TrySetResult(0);
        return new ValueTask<int>(waiting.Task);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TrySend(ref buffer))
            return ValueTask.CompletedTask;
        var waiting = new TaskCompletionSource(Options());
        _writeLeft = buffer;
        Volatile.Write(ref _write, waiting);
        if (!socket.WantWritable(true))
            Interlocked.Exchange(ref _write, null)?.TrySetException(new IOException("the connection was reset"));
        return new ValueTask(waiting.Task);
    }

    public void OnReady(uint events)
    {
        if ((events & (Epoll.Error | Epoll.HangUp)) != 0)
        {
            _hungUp = true;
            socket.LeaveEpoll();
            Interlocked.Exchange(ref _read, null)?.TrySetResult(0);
            Interlocked.Exchange(ref _write, null)?.TrySetException(new IOException("the connection was reset"));
            return;
        }
        if ((events & Epoll.Out) != 0 && Volatile.Read(ref _write) is not null)
            Written();
        if ((events & Epoll.In) != 0 && Volatile.Read(ref _read) is not null)
            Received();
    }

    private void Received()
    {
        int read;
        try
        {
            if (!TryReceive(_readInto, out read))
                return;
        }
        catch (Exception ex)
        {
            socket.WantReadable(false);
            _readCancel.Dispose();
            Interlocked.Exchange(ref _read, null)?.TrySetException(ex);
            return;
        }
        socket.WantReadable(false);
        _readCancel.Dispose();
        Interlocked.Exchange(ref _read, null)?.TrySetResult(read);
    }

    private void Written()
    {
        var left = _writeLeft;
        try
        {
            if (!TrySend(ref left))
            {
                _writeLeft = left;
                return;
            }
        }
        catch (Exception ex)
        {
            socket.WantWritable(false);
            Interlocked.Exchange(ref _write, null)?.TrySetException(ex);
            return;
        }
        socket.WantWritable(false);
        Interlocked.Exchange(ref _write, null)?.TrySetResult();
    }

    private TaskCreationOptions Options() =>
        CompleteOnLoop ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously;

    // False when the socket has nothing now; 0 bytes is the end of the stream.
    private bool TryReceive(Memory<byte> buffer, out int read)
    {
        read = socket.Socket.Receive(buffer.Span, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
            return _hungUp;
        if (error != SocketError.Success)
            throw new IOException("receive failed", new SocketException((int)error));
        return true;
    }

    // False when the socket takes no more now; what it did not take is left in buffer.
    private bool TrySend(ref ReadOnlyMemory<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var sent = socket.Socket.Send(buffer.Span, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
                return _hungUp ? throw new IOException("the connection was reset") : false;
            if (error != SocketError.Success)
                throw new IOException("send failed", new SocketException((int)error));
            buffer = buffer[sent..];
        }
        return true;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("reads are asynchronous");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("writes are asynchronous");

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            socket.Close();
        base.Dispose(disposing);
    }
}
