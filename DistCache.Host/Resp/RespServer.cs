using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DistCache.Actors.Cluster;
using DistCache.Actors.Gateway;
using DistCache.Client;
using DistCache.Host.Resp.Loop;
using DistCache.Host.Resp.RedisCluster;
using Akka.Event;

namespace DistCache.Host.Resp;

/// <summary>The node's Redis protocol endpoint (--resp-port). Each connection's commands go straight to
/// their partition when it serves on this node, else through the shard region to its owner wherever it
/// runs (see <see cref="NodeRequests"/>), so a client may connect to any node.</summary>
public sealed class RespServer : IAsyncDisposable
{
    /// <summary>Like Redis's maxclients: one more connection is told so and closed.</summary>
    public const int MaxConnections = 10_000;

    private readonly Socket _listener;
    private readonly NodeRequests _requests;
    private readonly RespCommands _commands;
    private readonly RespLimits _limits;
    private readonly RespAuthFailures _authFailures;
    private readonly RespClients _clients = new();
    private readonly Tracking.RespTracking _tracking;
    private readonly RespTls? _tls;
    private readonly CancellationTokenSource _stop = new();
    private readonly RespEventLoops? _loops;
    private readonly ConcurrentDictionary<long, (Action Abort, Task Running, RespStrangers.Stranger? Stranger)> _connections = new();
    // Null when no password is asked for: then nobody is a stranger.
    private readonly RespStrangers? _strangers;
    private readonly Timer? _overdue;
    private readonly Task _accepting;
    private readonly DateTime _started = DateTime.UtcNow;
    private long _nextId;

    private RespServer(Socket listener, DistCacheNode node, Acl.RespUsers users, string host, RespClusterMode mode)
    {
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _limits = RespLimits.For(node.Settings.Limits.MaxValueBytes);
        _requests = node.Requests;
        var address = Akka.Cluster.Cluster.Get(node.System).SelfAddress.ToString();
        var version = typeof(RespServer).Assembly.GetName().Version?.ToString(3) ?? "0";
        var settings = node.Settings;
        var metrics = node.Metrics;
        metrics.CountRegistrations("resp", () => _connections.Count);
        var durability = settings.Durability.ToString().ToLowerInvariant();
        var config = RespConfig.For(settings.MaxMemoryBytes, settings.Eviction, settings.Durability, host, Port, MaxConnections, _limits, settings.DataDir,
            node.KeyspaceEvents, settings.Resp.TrackingTableMaxKeys);
        _tracking = new Tracking.RespTracking(node.Invalidations, _clients, settings.Resp.TrackingTableMaxKeys);
        // The endpoint this node names for itself when its member role has none (a test's port 0, say).
        Slots = new SlotOwnersSource(node, RespAnnounce.For(settings.Resp, host, Port, settings.Tls.OnResp)!);
        // A partition still starting here counts: the region holds its requests, and a map a moment old would
        // send the client back to the node it just left.
        var cluster = mode == RespClusterMode.Off ? RespClusterCommands.Off
            : new RespClusterCommands(mode, () => Slots.Current, node.LocalPartitions.Hosts, () => node.IsLeaving);
        if (mode != RespClusterMode.Off)
            LeaveDrain.Register(node, (quiet, most, poll) => DrainAsync(quiet, most, c => cluster.Redirects(c.Session), poll));
        _commands = new RespCommands(
            () => new RespNodeInfo(version, address, Port, _clients.Count, DateTime.UtcNow - _started)
            {
                UsedMemoryBytes = metrics.Bytes,
                Durability = durability,
                ClusterEnabled = mode != RespClusterMode.Off,
            },
            settings.Resp, users, _clients, config, cluster, node.PubSub, _tracking);
        var log = Logging.GetLogger(node.System, typeof(RespServer));
        _authFailures = new RespAuthFailures(node.Metrics, line => log.Warning("{0}", line), TimeProvider.System);
        _tls = RespTls.For(node.Settings.Tls, new RespTlsRefusals(line => log.Warning("{0}", line), TimeProvider.System));
        _loops = RespEventLoops.For(settings.Resp.IoThreads, ex => log.Error(ex, "RESP event loop"));
        if (users.Initial is null)
        {
            _strangers = new RespStrangers(settings.Resp.Strangers);
            _overdue = new Timer(_ => CloseOverdue(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
        _accepting = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Which node owns each hash slot, as this node answers CLUSTER SLOTS.</summary>
    public SlotOwnersSource Slots { get; }

    public int ConnectedClients => _connections.Count;

    /// <summary>True when the port speaks TLS (<c>distcache.tls.resp</c> with a certificate).</summary>
    public bool Tls => _tls is not null;

    /// <summary>Listens on <paramref name="host"/>:<paramref name="port"/> (port 0 picks a free one).
    /// A port in use fails here, before the node reports ready, and so does a users file with a mistake
    /// (a ConfigurationException naming the line), before anything is bound. <paramref name="clusterMode"/>
    /// overrides distcache.resp.cluster-mode for this port (a second port in another mode, as tests use).</summary>
    public static RespServer Start(DistCacheNode node, string host, int port, RespClusterMode? clusterMode = null)
    {
        var users = Acl.RespUsers.From(node.Settings.Resp);
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host).First();
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new RespServer(listener, node, users, host, clusterMode ?? node.Settings.Resp.ClusterMode);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                    return;
                continue;
            }
            socket.NoDelay = true;
            if (_connections.Count >= MaxConnections)
            {
                _clients.Rejected();
                // A TLS client could not read a plain-text error: it is only closed.
                if (_tls is null)
                    _ = RefuseAsync(socket);
                else
                    socket.Dispose();
                continue;
            }
            RespStrangers.Stranger? stranger = null;
            if (_strangers is not null)
            {
                var address = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
                stranger = _strangers.TryAdmit(address, Environment.TickCount64, out var refusal);
                if (stranger is null)
                {
                    _clients.Rejected();
                    if (_tls is null)
                        _ = RefuseAsync(socket, refusal!);
                    else
                        socket.Dispose();
                    continue;
                }
            }
            var id = Interlocked.Increment(ref _nextId);
            var session = new RespSession(id);
            if (_loops is null)
                ServeAsync(socket, session, stranger);
            else if (_tls is null)
                ServeOnLoop(new LoopSocket(socket, _loops.Next()), session, stranger);
            else
                ServeTlsOnLoop(new LoopSocket(socket, _loops.Next()), session, stranger);
        }
    }

    // Strangers past distcache.resp.auth-timeout are closed (checked every second).
    private void CloseOverdue()
    {
        var now = Environment.TickCount64;
        foreach (var (abort, _, stranger) in _connections.Values)
        {
            if (stranger?.Overdue(now) != true)
                continue;
            // Its place is free before the client sees the close, so it may connect again at once.
            stranger.Leave();
            abort();
        }
    }

    private RespClient ClientOf(RespSession session, Socket socket, long fd, Action abort)
    {
        var client = new RespClient(session, socket.RemoteEndPoint, socket.LocalEndPoint, fd, abort, Environment.TickCount64);
        _clients.Add(client);
        return client;
    }

    private void ServeOnLoop(LoopSocket socket, RespSession session, RespStrangers.Stranger? stranger)
    {
        var client = ClientOf(session, socket.Socket, socket.Fd, socket.Abort);
        var connection = new RespLoopConnection(socket, session, _commands, _limits, _requests.Open(), _authFailures, client, stranger is null ? null : stranger.Leave);
        Track(session.Id, socket.Abort, connection.Completion, stranger);
        socket.Attach(connection);
    }

    private void ServeTlsOnLoop(LoopSocket socket, RespSession session, RespStrangers.Stranger? stranger)
    {
        var client = ClientOf(session, socket.Socket, socket.Fd, socket.Abort);
        var stream = new LoopSocketStream(socket);
        socket.Attach(stream);
        var connection = new RespConnection(stream, socket.Socket.RemoteEndPoint, socket.Abort, session, _commands, _limits,
            _requests.Open(), _authFailures, client, _tls, secured: () => stream.CompleteOnLoop = true, authenticated: stranger is null ? null : stranger.Leave);
        Track(session.Id, socket.Abort, RunAsync(connection), stranger);
    }

    private void ServeAsync(Socket socket, RespSession session, RespStrangers.Stranger? stranger)
    {
        // fd=-1: reading Socket.Handle would mark the socket as exposed and change how .NET drives it.
        var client = ClientOf(session, socket, -1, socket.Close);
        var connection = new RespConnection(new NetworkStream(socket, ownsSocket: true), socket.RemoteEndPoint, socket.Close, session,
            _commands, _limits, _requests.Open(), _authFailures, client, _tls, authenticated: stranger is null ? null : stranger.Leave);
        Track(session.Id, socket.Close, RunAsync(connection), stranger);
    }

    private void Track(long id, Action abort, Task running, RespStrangers.Stranger? stranger)
    {
        _connections[id] = (abort, running, stranger);
        // Also when it ended before it was registered here.
        running.ContinueWith(_ =>
        {
            stranger?.Leave();
            Ended(id);
        }, TaskScheduler.Default);
    }

    private async Task RunAsync(RespConnection connection)
    {
        // Off the accept loop's thread before the connection does any work (a TLS handshake included).
        await Task.Yield();
        await connection.RunAsync(_stop.Token);
    }

    private void Ended(long id)
    {
        _connections.TryRemove(id, out _);
        _clients.Remove(id);
    }

    private static async Task RefuseAsync(Socket socket, string error = "ERR max number of clients reached")
    {
        using (socket)
        {
            try
            {
                await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes($"-{error}\r\n"));
            }
            catch (SocketException)
            {
            }
        }
    }

    /// <summary>After the node has stopped: waits until no connection has sent a command for <paramref name="quiet"/>
    /// (at most <paramref name="most"/>), so Redis Cluster clients still sending here are redirected rather
    /// than finding the port closed under a command in flight.</summary>
    /// <returns>Whether the clients went quiet (false: <paramref name="most"/> ran out first, or the server was disposed).</returns>
    public async Task<bool> DrainAsync(TimeSpan quiet, TimeSpan most, Func<RespClient, bool>? which = null, Action? poll = null)
    {
        var deadline = Environment.TickCount64 + (long)most.TotalMilliseconds;
        while (!_stop.IsCancellationRequested && Environment.TickCount64 < deadline)
        {
            poll?.Invoke();
            var last = _clients.All.Where(c => which?.Invoke(c) ?? true).Select(c => c.LastCommandAtMs).DefaultIfEmpty(0).Max();
            var waited = Environment.TickCount64 - last;
            if (waited >= quiet.TotalMilliseconds)
                return true;
            // Polled at least every quarter second, so a refreshed shard map is asked for while clients still send.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(Math.Min(quiet.TotalMilliseconds - waited, 250), deadline - Environment.TickCount64) + 1));
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        if (_overdue is not null)
            await _overdue.DisposeAsync();
        foreach (var (abort, _, _) in _connections.Values)
            abort();
        await Task.WhenAll(_connections.Values.Select(c => c.Running)).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await _tracking.DisposeAsync();
        _loops?.Dispose();
        _stop.Dispose();
    }
}
