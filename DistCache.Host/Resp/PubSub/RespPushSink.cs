using DistCache.Actors.PubSub;
using DistCache.Protocol;

namespace DistCache.Host.Resp.PubSub;

/// <summary>A connection as a subscriber: each message is queued behind the replies the connection already
/// owes and written by the queue's writer (on a pool thread, with every message queued meanwhile), as
/// message, pmessage or smessage arrays (pushes in RESP3). A subscriber that lets <see cref="MaxWaiting"/>
/// replies pile up unread is disconnected, as Redis's client-output-buffer-limit pubsub disconnects one.</summary>
public sealed class RespPushSink(RespReplyQueue replies, RespSession session, Action abort) : ISubscriber
{
    public const int MaxWaiting = 10_000;

    private static readonly RespValue MessageKind = RespValue.Bulk("message");
    private static readonly RespValue PatternKind = RespValue.Bulk("pmessage");
    private static readonly RespValue ShardKind = RespValue.Bulk("smessage");

    private int _overflowed;

    public void Deliver(CacheKey channel, byte[] message, CacheKey pattern, bool sharded)
    {
        Push(sharded ? new RespPush([ShardKind, RespValue.Bulk(channel), new RespBulk(message)])
            : pattern.IsNull ? new RespPush([MessageKind, RespValue.Bulk(channel), new RespBulk(message)])
            : new RespPush([PatternKind, RespValue.Bulk(pattern), RespValue.Bulk(channel), new RespBulk(message)]));
    }

    /// <summary>Any out-of-band frame (a message, or a client-side caching invalidation), with the same limit.</summary>
    public void Push(RespValue push)
    {
        if (replies.Count >= MaxWaiting)
        {
            if (Interlocked.Exchange(ref _overflowed, 1) == 0)
                abort();
            return;
        }
        replies.Add(RespPendingReply.Ready(push, session.Protocol));
        // Written on a pool thread, once for whatever has queued by then: a PUBLISH reaches every subscriber from
        // the publisher's thread, and a write each was a send() per message per subscriber (70 % of a node's CPU in
        // the kernel with 50 subscribers). Messages that arrive while a flush is pending share its send, as Redis
        // writes a client's buffer once per event loop turn.
        if (Interlocked.Exchange(ref _flushPending, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static sink => sink.Flush(), this, preferLocal: false);
    }

    private int _flushPending;

    private void Flush()
    {
        Volatile.Write(ref _flushPending, 0);
        _ = replies.Write();
    }
}
