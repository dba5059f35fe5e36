using System.Threading.Channels;
using DistCache.Actors.Notifications;
using DistCache.Host.Resp.PubSub;
using DistCache.Protocol;

namespace DistCache.Host.Resp.Tracking;

/// <summary>Client-side caching on one RESP endpoint (normally one a node): its <see cref="TrackingTable"/>,
/// listening to the node's <see cref="InvalidationHub"/> only while some connection tracks (so that, while no
/// one listens anywhere, partitions report nothing), and the invalidations sent as Redis 7 sends them: a RESP3
/// push (&gt;2 invalidate [keys]) to the connection or its REDIRECT, or, to a RESP2 REDIRECT connection that is
/// subscribed, a message on __redis__:invalidate. The hub calls on its relay thread, which must not wait: the
/// keys are queued and the table is consulted, and the frames queued, on a task of this endpoint's.</summary>
public sealed class RespTracking : IInvalidationListener, IAsyncDisposable
{
    /// <summary>Redis's tracking-table-max-keys default.</summary>
    public const int DefaultMaxKeys = 1_000_000;

    public static readonly CacheKey InvalidateChannel = "__redis__:invalidate";

    private static readonly RespValue InvalidateKind = RespValue.Bulk("invalidate");
    private static readonly RespValue MessageKind = RespValue.Bulk("message");
    private static readonly RespValue ChannelName = RespValue.Bulk(InvalidateChannel);
    private static readonly RespValue RedirectBroken = RespValue.Bulk("tracking-redir-broken");

    private readonly InvalidationHub _hub;
    private readonly RespClients _clients;
    private readonly TrackingTable _table;
    // null: every key.
    private readonly Channel<IReadOnlyList<CacheKey>?> _changed = Channel.CreateUnbounded<IReadOnlyList<CacheKey>?>(
        new UnboundedChannelOptions { SingleReader = true });
    private Task? _delivering;
    private bool _listening;

    public RespTracking(InvalidationHub hub, RespClients clients, int maxKeys = DefaultMaxKeys)
    {
        _hub = hub;
        _clients = clients;
        _table = new TrackingTable(maxKeys);
    }

    /// <summary>Connections tracking keys (INFO's tracking_clients).</summary>
    public int Clients
    {
        get
        {
            lock (_table)
                return _table.Clients;
        }
    }

    /// <summary>CLIENT TRACKING ON, validated; the first connection to track starts the listening.</summary>
    public void Enable(RespSession session, TrackingMode mode)
    {
        lock (_table)
        {
            session.Tracking.Mode = _table.Enable(session.Id, mode);
            if (!_listening)
            {
                // Started with the first tracking connection: an endpoint nobody tracks on runs nothing for it.
                _delivering ??= Task.Run(DeliverAsync);
                _hub.Listen(this);
                _listening = true;
            }
        }
    }

    /// <summary>CLIENT TRACKING OFF, RESET, or the connection ended; the last one stops the listening.</summary>
    public void Disable(RespSession session)
    {
        if (session.Tracking.Mode is null)
            return;
        lock (_table)
        {
            session.Tracking.Mode = null;
            _table.Disable(session.Id);
            if (_listening && _table.Clients == 0)
            {
                _hub.Unlisten(this);
                _listening = false;
            }
        }
    }

    /// <summary>A command of a tracking connection starts: the keys it reads are remembered (before it is sent, so
    /// no write after it goes unreported) and, with NOLOOP, the keys it writes marked as its own.</summary>
    public void Started(RespSession session, TrackedKeys keys)
    {
        var evicted = new List<Invalidation>();
        lock (_table)
        {
            if (keys.Read.Length > 0)
                _table.Read(session.Id, keys.Read, evicted);
            if (keys.Written.Length > 0)
                _table.Wrote(session.Id, keys.Written, Environment.TickCount64);
        }
        Send(evicted);
    }

    public void Invalidated(IReadOnlyList<CacheKey> keys) => _changed.Writer.TryWrite(keys);

    public void InvalidatedAll() => _changed.Writer.TryWrite(null);

    private async Task DeliverAsync()
    {
        var messages = new List<Invalidation>();
        await foreach (var keys in _changed.Reader.ReadAllAsync())
        {
            messages.Clear();
            lock (_table)
            {
                if (keys is null)
                    _table.InvalidatedAll(messages);
                else
                    _table.Invalidated(keys, Environment.TickCount64, messages);
            }
            Send(messages);
        }
    }

    // Redis's sendTrackingMessage: to the REDIRECT connection if there is one (or, when it is gone, a
    // tracking-redir-broken push to a RESP3 connection instead), as a push in RESP3; a RESP2 connection can
    // only take it as a message, when it is a subscribed REDIRECT target; otherwise nothing is sent.
    private void Send(List<Invalidation> messages)
    {
        foreach (var message in messages)
        {
            if (_clients.Find(message.Client)?.Session is not { Tracking.Mode: { } mode } tracker)
                continue;
            var target = tracker;
            if (mode.Redirect != 0)
            {
                if (_clients.Find(mode.Redirect)?.Session is not { } redirect)
                {
                    tracker.Tracking.RedirectBroke();
                    if (tracker.Protocol >= 3)
                        Push(tracker, new RespPush([RedirectBroken, new RespInteger(mode.Redirect)]));
                    continue;
                }
                target = redirect;
            }
            RespValue keys = message.Keys is null ? RespValue.Null : new RespArray(message.Keys.Select(RespValue.Bulk).ToArray());
            if (target.Protocol >= 3)
                Push(target, new RespPush([InvalidateKind, keys]));
            else if (target != tracker && target.Subscriptions.Any)
                Push(target, new RespPush([MessageKind, ChannelName, keys]));
        }
    }

    private static void Push(RespSession session, RespValue frame) => (session.Pushes as RespPushSink)?.Push(frame);

    public async ValueTask DisposeAsync()
    {
        lock (_table)
        {
            if (_listening)
                _hub.Unlisten(this);
            _listening = false;
        }
        _changed.Writer.TryComplete();
        if (_delivering is not null)
            await _delivering;
    }
}
