using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using DistCache.Actors.Gateway;

namespace DistCache.Host.Resp;

/// <summary>One client's connection read and written through a stream: TLS connections (over an event
/// loop's socket, <see cref="Loop.LoopSocketStream"/>), and every connection when distcache.resp.io-threads
/// is 0 (over .NET's <see cref="NetworkStream"/>); <see cref="Loop.RespLoopConnection"/> serves plain-text
/// ones on the loops. A read loop
/// starts each read's requests (<see cref="RespRequestStarter"/>) and then sends the replies that are ready
/// in one write, in request order (<see cref="RespReplyQueue"/>). Protocol errors are answered and close
/// this connection only.</summary>
public sealed class RespConnection(
    Stream transport, EndPoint? remote, Action abort, RespSession session, RespCommands commands, RespLimits limits,
    RequestSink requests, RespAuthFailures authFailures, RespClient? client = null, RespTls? tls = null, Action? secured = null,
    Action? authenticated = null)
{
    public long Id => session.Id;

    public async Task RunAsync(CancellationToken stop)
    {
        await using var network = transport;
        // The reader and writer below run over TLS unchanged: SslStream allows one read and one write
        // at a time, which is what the two loops do.
        await using var encrypted = tls is null ? null : await tls.AuthenticateAsync(network, remote, stop);
        if (tls is not null && encrypted is null)
        {
            requests.Dispose();
            return;
        }
        // On an event loop, reads complete on the loop's thread from here on (the handshake ran on the pool).
        secured?.Invoke();
        Stream stream = encrypted is null ? network : encrypted;
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        var output = PipeWriter.Create(stream);
        var replies = new RespReplyQueue(output, stop);
        session.Pushes = new PubSub.RespPushSink(replies, session, abort);
        var starter = new RespRequestStarter(session, commands, limits, requests, authFailures, replies, client, remote, authenticated);
        try
        {
            await ReadLoopAsync(input, starter, replies, stop);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the node is stopping: what is in flight still completes below.
        }
        // Not after QUIT or a protocol error: what was asked before them is still answered in full.
        if (!starter.Closing)
            starter.ClientLeft();
        starter.Ended();
        try
        {
            await replies.FinishAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        await input.CompleteAsync();
        await output.CompleteAsync();
        requests.Dispose();
    }

    public void Abort() => abort();

    private async Task ReadLoopAsync(PipeReader input, RespRequestStarter starter, RespReplyQueue replies, CancellationToken stop)
    {
        while (true)
        {
            var result = await input.ReadAsync(stop);
            var buffer = result.Buffer;
            while (starter.Start(ref buffer) is { } wait)
            {
                _ = replies.Write();
                await wait;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            // Everything this read asked for has started: what is ready goes out in one send.
            _ = replies.Write();
            // A request cut off by the client closing is dropped: nothing half-read is ever executed.
            if (starter.Closing || result.IsCompleted)
                return;
        }
    }
}
