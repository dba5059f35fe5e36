using System.Collections.Concurrent;
using System.Diagnostics;
using DistCache.Protocol;

namespace DistCache.Wire;

/// <summary>Requests in flight, for the two senders that wait on replies: the .NET client's correlator and a
/// node's Redis endpoint (its request sinks). Each request is numbered, carries its deadline (so the partition
/// drops it once nobody waits), and is completed by the reply with its number, sent again (same request id, so
/// a write applies once) each retry interval without one, or failed once its deadline passes. Thread-safe:
/// replies may complete requests on any thread while one sweep runs.</summary>
public sealed class PendingRequests(TimeSpan timeout, TimeSpan retryInterval)
{
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly long _retryTicks = (long)(retryInterval.TotalSeconds * Stopwatch.Frequency);
    private long _nextId;

    public TimeSpan Timeout => timeout;

    public int Count => _pending.Count;

    /// <summary>Numbers a request and starts its clock; returns what to send. A blocking call may wait its
    /// wait on top of the timeout (<see cref="BlockingCall.AllowedTime"/>).</summary>
    public ClientRequest Register(IClientCommand command, Guid requestId, TaskCompletionSource<ICacheReply> completion, int partition = -1)
    {
        var id = Interlocked.Increment(ref _nextId);
        var allowed = BlockingCall.AllowedTime(command, timeout);
        var request = new ClientRequest(id, command, requestId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)allowed.TotalMilliseconds, partition);
        var now = Stopwatch.GetTimestamp();
        _pending[id] = new Pending(request, completion, now + (long)(allowed.TotalSeconds * Stopwatch.Frequency)) { NextAttempt = now + _retryTicks };
        return request;
    }

    /// <summary>Completes the request the reply answers; false for a reply nobody waits for (late, or a duplicate).</summary>
    public bool Complete(ClientResponse response)
    {
        if (!_pending.TryRemove(response.CorrelationId, out var pending))
            return false;
        pending.Completion.TrySetResult(response.Reply);
        return true;
    }

    /// <summary>Fails the requests whose deadline passed with <paramref name="timedOut"/>'s exception and hands
    /// those due for another attempt to <paramref name="retry"/>. One sweep at a time.</summary>
    public void Sweep(Action<ClientRequest> retry, Func<ClientRequest, Exception> timedOut)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (id, pending) in _pending)
        {
            if (pending.Deadline <= now)
            {
                if (_pending.TryRemove(id, out _))
                    pending.Completion.TrySetException(timedOut(pending.Request));
            }
            else if (pending.NextAttempt <= now)
            {
                pending.NextAttempt = now + _retryTicks;
                retry(pending.Request);
            }
        }
    }

    /// <summary>Sends every request in flight again now (what a lost connection had taken is gone with it); the
    /// next retry comes a full interval later.</summary>
    public void RetryAll(Action<ClientRequest> retry)
    {
        var next = Stopwatch.GetTimestamp() + _retryTicks;
        foreach (var pending in _pending.Values)
        {
            pending.NextAttempt = next;
            retry(pending.Request);
        }
    }

    public void FailAll(Exception error)
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
                pending.Completion.TrySetException(error);
        }
    }

    private sealed record Pending(ClientRequest Request, TaskCompletionSource<ICacheReply> Completion, long Deadline)
    {
        public long NextAttempt { get; set; }
    }
}
