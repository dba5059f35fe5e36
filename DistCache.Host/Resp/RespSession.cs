using DistCache.Host.Resp.Acl;

namespace DistCache.Host.Resp;

/// <summary>What one connection has chosen: the protocol version (HELLO), its name (CLIENT SETNAME),
/// its id, and who it authenticated as. Only the connection's read loop touches it, one command at a time.</summary>
public sealed class RespSession(long id)
{
    public long Id { get; } = id;
    public int Protocol { get; set; } = 2;
    public string? Name { get; set; }

    /// <summary>CLIENT SETINFO LIB-NAME and LIB-VER: the client library, as CLIENT LIST shows it.</summary>
    public string? LibName { get; set; }

    public string? LibVersion { get; set; }
    public RespCursorTable Cursors { get; } = new();

    /// <summary>CLIENT REPLY's state: whether this connection's replies are sent.</summary>
    public RespReplySwitch Replies { get; } = new();

    /// <summary>The user a successful AUTH or HELLO … AUTH named; null until then (and after RESET). A
    /// later failed attempt leaves it as it is (Redis does not log a connection out on a wrong password).</summary>
    public AclUser? Acl { get; set; }

    public string? User => Acl?.Name;

    /// <summary>MULTI/EXEC and WATCH on this connection.</summary>
    public RespTransaction Transaction { get; } = new();

    /// <summary>The client routes by hash slot: it asked for the slot map (CLUSTER SLOTS, SHARDS, NODES) or
    /// sent READONLY or ASKING. In cluster-mode auto, only such a connection is answered MOVED.</summary>
    public bool RoutesBySlot { get; set; }

    /// <summary>ASKING was the last command: the next keyed command is served here (forwarded to its owner)
    /// whatever the slot map says, as Redis serves the command after ASKING for a slot it is importing.</summary>
    public bool Asking { get; set; }

    /// <summary>SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE on this connection.</summary>
    public PubSub.RespSubscriptions Subscriptions { get; } = new();

    /// <summary>Where messages for this connection go (its reply queue); set by the connection.</summary>
    public Actors.PubSub.ISubscriber? Pushes { get; set; }

    /// <summary>CLIENT TRACKING and CLIENT CACHING on this connection.</summary>
    public Tracking.ConnectionTracking Tracking { get; } = new();

    /// <summary>Failed AUTH and HELLO … AUTH on this connection so far (distcache.resp.max-auth-failures).</summary>
    public int AuthFailures { get; set; }
}
