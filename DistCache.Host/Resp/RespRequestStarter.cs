using System.Buffers;
using System.Net;
using DistCache.Protocol;
using DistCache.Actors.Dispatch;
using DistCache.Actors.Gateway;

namespace DistCache.Host.Resp;

/// <summary>Parses the requests in one connection's received bytes and starts each at once, so a pipelined
/// burst is in flight together; a partition idle on this node runs on the caller's thread. Each request's
/// reply is queued in request order (<see cref="RespReplyQueue"/>). Both receive paths (the event loop's and
/// the stream's, used for TLS) drive it: it never waits itself, it returns what to wait for.</summary>
public sealed class RespRequestStarter(
    RespSession session, RespCommands commands, RespLimits limits, RequestSink requests, RespAuthFailures authFailures,
    RespReplyQueue replies, RespClient? client, EndPoint? remote, Action? authenticated = null)
{
    // Replies owed: a client that pipelines without reading is slowed here, not buffered without end.
    public const int MaxPending = 4096;

    private readonly RespParser _parser = new(limits);
    private readonly RespArgs _args = new();
    private readonly List<Task> _inFlight = [];
    // Cancelled when the client is gone: a command of many steps (KEYS) stops at its next step.
    private readonly CancellationTokenSource _left = new();
    // A command that spans partitions, parsed and waiting for every earlier reply.
    private RespPlan? _held;
    private bool _heldSilent;
    private bool _wasAuthenticated;
    /// <summary>The connection is gone: it leaves its channels.</summary>
    public void Ended() => commands.Ended(session);

    /// <summary>The connection answers what it owes and closes (QUIT, a protocol error, CLIENT KILL of
    /// itself, too many failed AUTHs): nothing after it is read.</summary>
    public bool Closing { get; private set; }

    /// <summary>The client hung up, reset, or was killed: what it asked for is no longer worth finishing.
    /// Not after QUIT or a protocol error, where what was asked before is still answered.</summary>
    public void ClientLeft() => _left.Cancel();

    /// <summary>Starts the whole requests at the front of <paramref name="buffer"/> and moves it past them.
    /// Returns null when what is left is an incomplete request (or <see cref="Closing"/>), or a task to wait
    /// for before calling again with the rest: earlier replies that a command spanning partitions must
    /// follow, or a writer behind on a client that does not read.</summary>
    public Task? Start(ref ReadOnlySequence<byte> buffer)
    {
        if (_held is not null)
        {
            var plan = _held;
            _held = null;
            _inFlight.Clear();
            Run(plan, _heldSilent);
        }
        while (!Closing)
        {
            _parser.Unauthenticated = !Authenticated();
            var outcome = _parser.TryRead(ref buffer, _args);
            if (outcome.Status == ParseStatus.Incomplete)
            {
                if (buffer.Length > limits.MaxRequestBytes)
                    Close(RespValue.Error("ERR Protocol error: request too large"));
                return null;
            }
            if (outcome.Status == ParseStatus.ProtocolError)
            {
                Close(RespValue.Error(outcome.Error!));
                return null;
            }
            if (_args.Count == 0)
                continue;

            client?.Started(_args, Environment.TickCount64);
            var skipped = session.Replies.TakeSkip();
            var next = commands.Map(_args, session);
            // The arguments point into the receive buffer; the plan holds its own copies.
            _args.Release();
            // CLIENT REPLY OFF/SKIP: the command runs, its reply is not sent.
            var silent = session.Replies.Silences(skipped);
            var waitsForEarlier = next is ClusterSteps || next is ClusterCall { AfterEarlierReplies: true };
            if (waitsForEarlier && _inFlight.Count > 0)
            {
                _inFlight.RemoveAll(t => t.IsCompleted);
                if (_inFlight.Count > 0)
                {
                    _held = next;
                    _heldSilent = silent;
                    return Task.WhenAll(_inFlight);
                }
            }
            Run(next, silent);
            Authenticated();
            if (replies.Count >= MaxPending)
            {
                var writing = replies.Write();
                if (!writing.IsCompleted)
                    return writing;
            }
        }
        return null;
    }

    // Whether the connection may run commands; the first time it may, the connection is told (it stops
    // counting as a stranger that must authenticate in time).
    private bool Authenticated()
    {
        if (!commands.IsAuthenticated(session))
            return false;
        if (!_wasAuthenticated)
        {
            _wasAuthenticated = true;
            authenticated?.Invoke();
        }
        return true;
    }

    private void Close(RespValue error)
    {
        replies.Add(RespPendingReply.Ready(error, session.Protocol, close: true));
        Closing = true;
    }

    private void Run(RespPlan plan, bool silent)
    {
        // Before the command is sent: a write that follows the read cannot be missed.
        if (plan.Tracked is { } tracked)
            commands.Started(session, tracked);
        switch (plan)
        {
            case Immediate immediate:
                replies.Add(RespPendingReply.Ready(immediate.Reply, session.Protocol, silent: silent));
                break;
            case ReplyThenClose last:
                replies.Add(RespPendingReply.Ready(last.Reply, session.Protocol, close: true, silent));
                Closing = true;
                break;
            case AuthFailed failed:
                authFailures.Failed(remote, failed.User);
                // Answered before the close, so the client sees why (as after a protocol error).
                replies.Add(RespPendingReply.Ready(failed.Reply, session.Protocol, failed.Close, silent));
                Closing = failed.Close;
                break;
            case Subscription change:
                if (change.ApplyBeforeReply)
                    change.Apply();
                replies.Add(RespPendingReply.Ready(change.Reply, session.Protocol, silent: silent));
                if (!change.ApplyBeforeReply)
                    change.Apply();
                break;
            case Deferred deferred:
                replies.Add(RespPendingReply.Ready(deferred.Run(), session.Protocol, silent: silent));
                break;
            case Quit:
                replies.Add(RespPendingReply.Ready(RespValue.Ok, session.Protocol, close: true, silent));
                Closing = true;
                break;
            case ClusterCall call:
                Task<RespValue> reply;
                // A partition idle on this node answers on this thread, before Start returns.
                using (CallerRuns.Allow())
                    reply = ExecuteAsync(call);
                Track(reply);
                replies.Add(new RespPendingReply(reply, session.Protocol, false, silent));
                break;
            case ClusterSteps steps:
                var stepped = ExecuteAsync(steps);
                Track(stepped);
                replies.Add(new RespPendingReply(stepped, session.Protocol, false, silent));
                break;
        }
    }

    private void Track(Task reply)
    {
        if (reply.IsCompleted)
            return;
        _inFlight.Add(reply);
        if (_inFlight.Count > MaxPending)
            _inFlight.RemoveAll(t => t.IsCompleted);
    }

    private async Task<RespValue> ExecuteAsync(ClusterCall call)
    {
        try
        {
            var answers = call.Commands.Length == 1
                ? [await requests.ExecuteAsync(call.Commands[0])]
                : await requests.ExecuteAllAsync(call.Commands);
            foreach (var answer in answers)
            {
                if (answer is Rejected rejected)
                    return RespCommands.ErrorFor(rejected);
            }
            return call.Answer(answers);
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
        if (steps.Blocks)
            commands.Blocking(starts: true);
        try
        {
            return await steps.Run(async command =>
            {
                _left.Token.ThrowIfCancellationRequested();
                // A blocked step (BLPOP and kin) stops waiting when the client leaves, so it takes nothing for nobody.
                var answer = await requests.ExecuteAsync(command, _left.Token);
                return answer is Rejected rejected ? throw new RespRejectedException(rejected) : answer;
            });
        }
        catch (RespRejectedException ex)
        {
            return RespCommands.ErrorFor(ex.Rejected);
        }
        catch (OperationCanceledException) when (_left.IsCancellationRequested)
        {
            commands.Abandoned();
            return RespValue.Error("ERR the client left");
        }
        catch (Exception ex)
        {
            return RespValue.Error("ERR " + ex.Message);
        }
        finally
        {
            if (steps.Blocks)
                commands.Blocking(starts: false);
        }
    }
}
