using System.IO.Pipelines;

namespace DistCache.Host.Resp;

/// <summary>A connection's replies in request order. The read loop adds one per request and, once it has
/// started every request of a read, writes what is ready with one send (<see cref="Write"/>). When the reply
/// at the head is not ready, the same writer waits for it and goes on from the thread that completes it;
/// replies added meanwhile are written by it, so one writer at a time owns the output and nothing is
/// handed to another thread while everything is ready.</summary>
public sealed class RespReplyQueue(PipeWriter output, CancellationToken stop)
{
    private const int FlushThreshold = 64 * 1024;

    private readonly Queue<RespPendingReply> _queue = new();
    private readonly object _gate = new();
    private Task _writer = Task.CompletedTask;
    private bool _writing;
    private bool _closed;

    public int Count
    {
        get
        {
            lock (_gate)
                return _queue.Count;
        }
    }

    public void Add(RespPendingReply reply)
    {
        lock (_gate)
            _queue.Enqueue(reply);
    }

    /// <summary>Starts writing unless a writer is at work (it takes the new replies too). Returns that writer;
    /// when every reply was ready it has already sent them. Called by the read loop only.</summary>
    public Task Write()
    {
        lock (_gate)
        {
            if (_writing || _closed || _queue.Count == 0)
                return _writer;
            _writing = true;
        }
        var writer = WriteAsync();
        lock (_gate)
        {
            // A writer that finished synchronously has released the output already; keep the newest.
            _writer = writer;
        }
        return writer;
    }

    private async Task WriteAsync()
    {
        try
        {
            while (true)
            {
                RespPendingReply next;
                lock (_gate)
                {
                    if (_queue.Count == 0 && output.UnflushedBytes == 0)
                    {
                        _writing = false;
                        return;
                    }
                    next = _queue.Count == 0 ? default : _queue.Peek();
                }
                if (next.Reply is null || (!next.Reply.IsCompleted && output.UnflushedBytes > 0))
                {
                    // Sent outside the lock; the queue is looked at again after, so a reply added during the
                    // send is not left without a writer.
                    await output.FlushAsync(stop);
                    continue;
                }
                var value = await next.Reply;
                lock (_gate)
                    _queue.Dequeue();
                if (!next.Silent)
                    await WriteReplyAsync(value, next.Protocol);
                if (next.Close)
                {
                    await output.FlushAsync(stop);
                    lock (_gate)
                    {
                        _closed = true;
                        _queue.Clear();
                    }
                    return;
                }
                if (output.UnflushedBytes > FlushThreshold)
                    await output.FlushAsync(stop);
            }
        }
        catch
        {
            // The connection is broken or the node is stopping: nothing more is written (the read loop ends
            // with the socket).
            lock (_gate)
                _closed = true;
            throw;
        }
    }

    // A top-level array (MGET, KEYS) goes out item by item, sent whenever the buffer passes the threshold,
    // so a large reply is never held whole in the send buffer: at most the threshold plus one item.
    private async ValueTask WriteReplyAsync(RespValue value, int protocol)
    {
        if (value is not RespArray { Items.Count: > 1 } array)
        {
            RespWriter.Write(output, value, protocol);
            return;
        }
        RespWriter.ArrayHeader(output, array.Items.Count);
        foreach (var item in array.Items)
        {
            RespWriter.Write(output, item, protocol);
            if (output.UnflushedBytes > FlushThreshold)
                await output.FlushAsync(stop);
        }
    }

    /// <summary>After the read loop: writes every reply still owed, waiting for those in flight.</summary>
    public async Task FinishAsync()
    {
        while (true)
        {
            await Write();
            lock (_gate)
            {
                if (_closed || _queue.Count == 0)
                    return;
            }
        }
    }
}

/// <summary>One reply owed: ready (<see cref="Value"/>) or on its way (<see cref="Task"/>).</summary>
public readonly struct RespPendingReply(Task<RespValue> reply, int protocol, bool close = false, bool silent = false)
{
    public Task<RespValue>? Reply { get; } = reply;
    public int Protocol { get; } = protocol;
    public bool Close { get; } = close;
    public bool Silent { get; } = silent;

    public static RespPendingReply Ready(RespValue value, int protocol, bool close = false, bool silent = false) =>
        new(Task.FromResult(value), protocol, close, silent);
}
