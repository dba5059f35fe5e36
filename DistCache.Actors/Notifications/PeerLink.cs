namespace DistCache.Actors.Notifications;

/// <summary>What one node's relay knows of its link with another's: whether it forwards its invalidations there
/// (<see cref="Covering"/>, under an interest lease), and how far the other's invalidations are known to have
/// arrived here (<see cref="CoveredAt"/>, a moment on this node's clock). Pure: the relay feeds it.</summary>
public sealed class PeerLink
{
    /// <summary>This node's unbroken stretch of forwarding to the peer (0: not forwarding).</summary>
    public long Covering { get; private set; }

    public long InterestUntil { get; private set; }

    /// <summary>The peer's stretch of forwarding here, as its last tick said.</summary>
    public long TheirCovering { get; private set; }

    /// <summary>Every write the peer acknowledged before this moment (this node's clock) has had its invalidation
    /// delivered here; null while the peer does not forward, or has not yet echoed a ping of its current stretch.</summary>
    public long? CoveredAt { get; private set; }

    /// <summary>The peer's last ping, echoed in this node's next tick.</summary>
    public long TheirPing { get; private set; }

    public long OutSeq { get; private set; }

    private long _inSeq;

    public long NextOutSeq() => ++OutSeq;

    /// <summary>The peer wants this node's invalidations until <paramref name="until"/>; a new stretch number when it
    /// starts (from <paramref name="nextStretch"/>). True when a stretch started.</summary>
    public bool Wanted(long until, Func<long> nextStretch)
    {
        InterestUntil = until;
        if (Covering != 0)
            return false;
        Covering = nextStretch();
        return true;
    }

    /// <summary>The lease ran out, or the peer said it no longer listens: stop forwarding (a later start is a new stretch).</summary>
    public void Unwanted() => Covering = 0;

    /// <summary>A message from the peer numbered <paramref name="seq"/>; false when one before it was lost, which breaks
    /// its stretch: what it forwarded may be incomplete, so nothing before is counted as arrived.</summary>
    public bool Received(long seq)
    {
        var inOrder = seq == _inSeq + 1;
        _inSeq = seq;
        if (!inOrder)
        {
            TheirCovering = -1;
            CoveredAt = null;
        }
        return inOrder;
    }

    /// <summary>The peer's tick. Returns true when its stretch of forwarding here changed (started, stopped, broke).</summary>
    public bool Ticked(long theirCovering, long theirPing, long? echoSentAt)
    {
        TheirPing = theirPing;
        var changed = theirCovering != TheirCovering;
        if (changed)
        {
            TheirCovering = theirCovering;
            CoveredAt = null;
        }
        if (theirCovering != 0 && echoSentAt is { } at && (CoveredAt is null || at > CoveredAt))
            CoveredAt = at;
        return changed;
    }
}
