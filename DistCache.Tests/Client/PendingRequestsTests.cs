using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Tests.Client;

/// <summary>The one request tracker of the .NET client and the Redis endpoint, without an actor system:
/// retry and deadline come from the tracker's own intervals (zero makes them due at once).</summary>
public class PendingRequestsTests
{
    private static TaskCompletionSource<ICacheReply> Completion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task A_reply_completes_its_request_once_and_a_late_or_unknown_one_is_ignored()
    {
        var pending = new PendingRequests(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var (a, b) = (Completion(), Completion());
        var first = pending.Register(new GetValue("a"), Guid.Empty, a, partition: 7);
        var second = pending.Register(new SetValue("b", new CacheValue(ValueKind.String, [1])), Guid.NewGuid(), b);
        Assert.NotEqual(first.CorrelationId, second.CorrelationId);
        Assert.Equal(7, first.Partition);
        Assert.Equal(-1, second.Partition);
        Assert.InRange(first.DeadlineUnixMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 50_000, 60_000);

        Assert.True(pending.Complete(new ClientResponse(second.CorrelationId, Stored.Instance)));
        Assert.False(pending.Complete(new ClientResponse(second.CorrelationId, Stored.Instance)));
        Assert.False(pending.Complete(new ClientResponse(999, Stored.Instance)));
        Assert.Equal(Stored.Instance, await b.Task);
        Assert.False(a.Task.IsCompleted);
        Assert.Equal(1, pending.Count);
    }

    [Fact]
    public async Task A_request_due_is_sent_again_unchanged_and_one_past_its_deadline_fails()
    {
        var retrying = new PendingRequests(TimeSpan.FromMinutes(1), TimeSpan.Zero);
        var waiting = Completion();
        var request = retrying.Register(new GetValue("k"), Guid.Empty, waiting);
        var resent = new List<ClientRequest>();
        retrying.Sweep(resent.Add, _ => new InvalidOperationException("not yet"));
        Assert.Equal([request], resent); // the same request: same correlation id, request id and deadline
        Assert.False(waiting.Task.IsCompleted);

        var expiring = new PendingRequests(TimeSpan.Zero, TimeSpan.FromMinutes(1));
        var late = Completion();
        expiring.Register(new GetValue("k"), Guid.Empty, late);
        expiring.Sweep(_ => Assert.Fail("an expired request is not retried"), r => new TimeoutException("no reply to " + r.CorrelationId));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => late.Task);
        Assert.StartsWith("no reply to", error.Message);
        Assert.Equal(0, expiring.Count);
    }

    [Fact]
    public async Task Retry_all_resends_every_request_and_fail_all_ends_them()
    {
        var pending = new PendingRequests(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var completions = Enumerable.Range(0, 3).Select(_ => Completion()).ToArray();
        var requests = completions.Select((c, i) => pending.Register(new GetValue("k" + i), Guid.Empty, c)).ToArray();
        var resent = new List<ClientRequest>();
        pending.RetryAll(resent.Add);
        Assert.Equal(requests.OrderBy(r => r.CorrelationId), resent.OrderBy(r => r.CorrelationId));
        // Just resent: the next sweep does not send them again.
        pending.Sweep(_ => Assert.Fail("resent too soon"), _ => new TimeoutException());

        pending.FailAll(new ObjectDisposedException("client"));
        foreach (var completion in completions)
            await Assert.ThrowsAsync<ObjectDisposedException>(() => completion.Task);
        Assert.Equal(0, pending.Count);
    }
}
