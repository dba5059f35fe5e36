using System.Net;

namespace DistCache.Host.Resp;

/// <summary>One live connection as CLIENT LIST, CLIENT INFO and CLIENT KILL see it. Its read loop records
/// each command; other connections read it (their CLIENT LIST) and may close it (their CLIENT KILL), so
/// what they read is written with single reference or Volatile stores.</summary>
public sealed class RespClient(RespSession session, EndPoint? remote, EndPoint? local, long fd, Action close, long connectedAtMs)
{
    private readonly long _connectedAtMs = connectedAtMs;
    private long _lastCommandAtMs = connectedAtMs;
    private long _commands;
    private string? _command;

    public long Id => session.Id;

    public RespSession Session => session;

    /// <summary>ip:port, [ipv6]:port for IPv6, as Redis writes addr= and laddr=.</summary>
    public string Address { get; } = remote?.ToString() ?? "";

    public string LocalAddress { get; } = local?.ToString() ?? "";

    /// <summary>Closes the socket: the connection's loops end as on a client that went away.</summary>
    public void Close() => close();

    /// <summary>A command arrived (for idle= and cmd=). Only names the table knows are kept, so a client
    /// cannot make this store text of its own.</summary>
    public void Started(RespArgs args, long nowMs)
    {
        Volatile.Write(ref _lastCommandAtMs, nowMs);
        // Counted here, per connection, so connections on different cores do not contend for one counter.
        Volatile.Write(ref _commands, _commands + 1);
        if (args.Count == 0 || args.Word(0) is not { } name)
            return;
        // Container commands show their subcommand (cmd=client|list); only these few are read as text.
        _command = args.Count > 1 && name is "CLIENT" or "CONFIG" or "ACL" or "COMMAND" && IsWord(args[1])
            ? $"{name}|{args.Text(1)}".ToLowerInvariant()
            : name;
    }

    // Letters and hyphens only, so what the client sent cannot break CLIENT LIST's line.
    private static bool IsWord(ReadOnlySpan<byte> text)
    {
        if (text.Length is 0 or > 16)
            return false;
        foreach (var b in text)
        {
            if (!(char.IsAsciiLetter((char)b) || b == '-'))
                return false;
        }
        return true;
    }

    /// <summary>When the connection last started a command (Environment.TickCount64).</summary>
    public long LastCommandAtMs => Volatile.Read(ref _lastCommandAtMs);

    /// <summary>Commands this connection has sent (INFO's total_commands_processed sums them).</summary>
    public long Commands => Volatile.Read(ref _commands);

    public RespClientView View(long nowMs) => new(
        Id, Address, LocalAddress, fd, session.Name ?? "",
        (nowMs - _connectedAtMs) / 1000, (nowMs - Volatile.Read(ref _lastCommandAtMs)) / 1000,
        _command?.ToLowerInvariant() ?? "NULL", session.User ?? RespAuthenticator.DefaultUser, session.Protocol)
    {
        LibName = session.LibName ?? "",
        LibVersion = session.LibVersion ?? "",
        Multi = session.Transaction.QueuedCount,
        Sub = session.Subscriptions.Channels.Count,
        PSub = session.Subscriptions.Patterns.Count,
        SSub = session.Subscriptions.ShardChannels.Count,
        TrackingFlags = session.Tracking.Flags,
        Redirect = session.Tracking.Redirect,
    };
}

/// <summary>What CLIENT LIST shows of one connection at one moment (see <see cref="RespClientLine"/>).</summary>
public sealed record RespClientView(
    long Id, string Address, string LocalAddress, long Fd, string Name, long AgeSeconds, long IdleSeconds, string Command, string User, int Protocol)
{
    public string LibName { get; init; } = "";

    public string LibVersion { get; init; } = "";

    /// <summary>Commands queued since MULTI, -1 outside a transaction.</summary>
    public int Multi { get; init; } = -1;

    /// <summary>Channels, patterns and shard channels subscribed to (read from another thread: a moment's counts).</summary>
    public int Sub { get; init; }

    public int PSub { get; init; }

    public int SSub { get; init; }

    public int Subscriptions => Sub + PSub + SSub;

    /// <summary>CLIENT TRACKING's flags (t, R, B) and redir= (-1 when not tracking).</summary>
    public string TrackingFlags { get; init; } = "";

    public long Redirect { get; init; } = -1;
}
