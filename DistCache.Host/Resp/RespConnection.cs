using System.IO.Pipelines;
using System.Net.Sockets;
using DistCache.Protocol;
using DistCache.Actors.Dispatch;
using DistCache.Actors.Gateway;

namespace DistCache.Host.Resp;

/// <summary>One client's socket. A read loop parses requests and starts each at once (so a pipelined
/// burst is in flight together), letting partitions idle on this node run on its thread; after each read
/// it sends the replies that are ready in one write, in request order (<see cref="RespReplyQueue"/>).
/// Protocol errors are answered and close this connection only.</summary>
public sealed class RespConnection(
    Socket socket, RespSession session, RespCommands commands, RespLimits limits, RequestSink requests, RespAuthFailures authFailures,
    RespClient? client = null, RespTls? tls = null)
{
    // Replies waiting to be written: a client that pipelines without reading is slowed here, not buffered without end.
    private const int MaxPending = 4096;

    private readonly RespParser _parser = new(limits);
    private readonly RespArgs _args = new();

    public long Id => session.Id;

    public async Task RunAsync(CancellationToken stop)
    {
        await using var network = new NetworkStream(socket, ownsSocket: true);
        // The reader and writer below run over TLS unchanged: SslStream allows one read and one write
        // at a time, which is what the two loops do.
        await using var secured = tls is null ? null : await tls.AuthenticateAsync(network, socket.RemoteEndPoint, stop);
        if (tls is not null && secured is null)
        {
            requests.Dispose();
            return;
        }
        Stream stream = secured is null ? network : secured;
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        var output = PipeWriter.Create(stream);
        var replies = new RespReplyQueue(output, stop);
        try
        {
            await ReadLoopAsync(input, replies, stop);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the node is stopping: what is in flight still completes below.
        }
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

    public void Abort() => socket.Close();

    private async Task ReadLoopAsync(PipeReader input, RespReplyQueue replies, CancellationToken stop)
    {
        var inFlight = new List<Task>();
        while (true)
        {
            var result = await input.ReadAsync(stop);
            var buffer = result.Buffer;
            var closing = false;
            while (!closing)
            {
                var outcome = _parser.TryRead(ref buffer, _args);
                if (outcome.Status == ParseStatus.Incomplete)
                {
                    if (buffer.Length > limits.MaxRequestBytes)
                    {
                        replies.Add(RespPendingReply.Ready(RespValue.Error("ERR Protocol error: request too large"), session.Protocol, close: true));
                        closing = true;
                    }
                    break;
                }
                if (outcome.Status == ParseStatus.ProtocolError)
                {
                    replies.Add(RespPendingReply.Ready(RespValue.Error(outcome.Error!), session.Protocol, close: true));
                    closing = true;
                    break;
                }
                if (_args.Count == 0)
                    continue;

                client?.Started(_args, Environment.TickCount64);
                var skipped = session.Replies.TakeSkip();
                var plan = commands.Map(_args, session);
                // The arguments point into the pipe's buffer; the plan holds its own copies.
                _args.Release();
                // CLIENT REPLY OFF/SKIP: the command runs, its reply is not sent.
                var silent = session.Replies.Silences(skipped);
                switch (plan)
                {
                    case Immediate immediate:
                        replies.Add(RespPendingReply.Ready(immediate.Reply, session.Protocol, silent: silent));
                        break;
                    case ReplyThenClose last:
                        replies.Add(RespPendingReply.Ready(last.Reply, session.Protocol, close: true, silent));
                        closing = true;
                        break;
                    case AuthFailed failed:
                        authFailures.Failed(socket.RemoteEndPoint, failed.User);
                        // Answered before the close, so the client sees why (as after a protocol error).
                        replies.Add(RespPendingReply.Ready(failed.Reply, session.Protocol, failed.Close, silent));
                        closing = failed.Close;
                        break;
                    case Quit:
                        replies.Add(RespPendingReply.Ready(RespValue.Ok, session.Protocol, close: true, silent));
                        closing = true;
                        break;
                    case ClusterCall call:
                        if (call.AfterEarlierReplies && inFlight.Count > 0)
                        {
                            await Task.WhenAll(inFlight);
                            inFlight.Clear();
                        }
                        Task<RespValue> reply;
                        // A partition idle on this node answers on this thread, before Start returns.
                        using (CallerRuns.Allow())
                            reply = ExecuteAsync(call);
                        if (!reply.IsCompleted)
                        {
                            inFlight.Add(reply);
                            if (inFlight.Count > MaxPending)
                                inFlight.RemoveAll(t => t.IsCompleted);
                        }
                        replies.Add(new RespPendingReply(reply, session.Protocol, false, silent));
                        break;
                    case ClusterSteps steps:
                        await Task.WhenAll(inFlight);
                        inFlight.Clear();
                        var stepped = ExecuteAsync(steps);
                        inFlight.Add(stepped);
                        replies.Add(new RespPendingReply(stepped, session.Protocol, false, silent));
                        break;
                }
                // A client that pipelines without reading is slowed here, not buffered without end.
                if (replies.Count >= MaxPending)
                    await replies.Write();
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            // Everything this read asked for has started: what is ready goes out in one send.
            _ = replies.Write();
            // A request cut off by the client closing is dropped: nothing half-read is ever executed.
            if (closing || result.IsCompleted)
                return;
        }
    }

    private async Task<RespValue> ExecuteAsync(ClusterCall call)
    {
        try
        {
            var replies = call.Commands.Length == 1
                ? [await requests.ExecuteAsync(call.Commands[0])]
                : await Task.WhenAll(call.Commands.Select(requests.ExecuteAsync));
            foreach (var reply in replies)
            {
                if (reply is Rejected rejected)
                    return RespCommands.ErrorFor(rejected);
            }
            return call.Answer(replies);
        }
        catch (Exception ex)
        {
            // Timeouts, a node shutting down, or a reply of an unexpected kind: this command fails with
            // an error, and the connection and its other commands carry on.
            return RespValue.Error("ERR " + ex.Message);
        }
    }

    private async Task<RespValue> ExecuteAsync(ClusterSteps steps)
    {
        try
        {
            return await steps.Run(async command =>
            {
                var reply = await requests.ExecuteAsync(command);
                return reply is Rejected rejected ? throw new RespRejectedException(rejected) : reply;
            });
        }
        catch (RespRejectedException ex)
        {
            return RespCommands.ErrorFor(ex.Rejected);
        }
        catch (Exception ex)
        {
            return RespValue.Error("ERR " + ex.Message);
        }
    }
}
