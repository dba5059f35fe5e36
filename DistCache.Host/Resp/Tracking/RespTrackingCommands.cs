using DistCache.Protocol;

namespace DistCache.Host.Resp.Tracking;

/// <summary>CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO with redis-server 7.0.15's checks, errors and
/// replies (networking.c clientCommand), and which keys a tracking connection's commands read and write.</summary>
public sealed class RespTrackingCommands(RespTracking tracking, RespClients clients)
{
    private const string SwitchBcast =
        "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";

    private const string SwitchOptInOut =
        "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";

    /// <summary>The reply of one of the four subcommands (<paramref name="sub"/> upper case), or null for another.</summary>
    public RespValue? Reply(string sub, RespArgs args, RespSession session) => sub switch
    {
        "TRACKING" => args.Count < 3 ? Arity(sub) : Tracking(args, session),
        "CACHING" => args.Count != 3 ? Arity(sub) : Caching(args.Text(2).ToUpperInvariant(), session.Tracking),
        "GETREDIR" => args.Count != 2 ? Arity(sub) : new RespInteger(session.Tracking.Redirect),
        "TRACKINGINFO" => args.Count != 2 ? Arity(sub) : Info(session.Tracking),
        _ => null,
    };

    private static RespValue Arity(string sub) => RespValue.Error($"ERR wrong number of arguments for 'client|{sub.ToLowerInvariant()}' command");

    private RespValue Tracking(RespArgs args, RespSession session)
    {
        // The options are read (and REDIRECT's connection looked up) before ON or OFF is, as Redis does.
        long redirect = 0;
        bool bcast = false, optIn = false, optOut = false, noLoop = false;
        var prefixes = new List<CacheKey>();
        for (var j = 3; j < args.Count; j++)
        {
            var more = j < args.Count - 1;
            switch (args.Text(j).ToUpperInvariant())
            {
                case "REDIRECT" when more:
                    j++;
                    if (redirect != 0)
                        return RespValue.Error("ERR A client can only redirect to a single other client");
                    if (!args.TryInteger(j, out redirect))
                        return RespPlans.NotInteger;
                    if (clients.Find(redirect) is null)
                        return RespValue.Error("ERR The client ID you want redirect to does not exist");
                    break;
                case "BCAST":
                    bcast = true;
                    break;
                case "OPTIN":
                    optIn = true;
                    break;
                case "OPTOUT":
                    optOut = true;
                    break;
                case "NOLOOP":
                    noLoop = true;
                    break;
                case "PREFIX" when more:
                    prefixes.Add(args.Key(++j));
                    break;
                default:
                    return RespPlans.Syntax;
            }
        }
        switch (args.Text(2).ToUpperInvariant())
        {
            case "ON":
                var current = session.Tracking.Mode;
                if (!bcast && prefixes.Count > 0)
                    return RespValue.Error("ERR PREFIX option requires BCAST mode to be enabled");
                if (current is not null && current.Bcast != bcast)
                    return RespValue.Error(SwitchBcast);
                if (bcast && (optIn || optOut))
                    return RespValue.Error("ERR OPTIN and OPTOUT are not compatible with BCAST");
                if (optIn && optOut)
                    return RespValue.Error("ERR You can't specify both OPTIN mode and OPTOUT mode");
                if ((optIn && current?.OptOut == true) || (optOut && current?.OptIn == true))
                    return RespValue.Error(SwitchOptInOut);
                if (bcast && Overlap(prefixes, current) is { } overlap)
                    return overlap;
                tracking.Enable(session, new TrackingMode(bcast, optIn, optOut, noLoop, redirect, prefixes));
                return RespValue.Ok;
            case "OFF":
                tracking.Disable(session);
                return RespValue.Ok;
            default:
                return RespPlans.Syntax;
        }
    }

    // Redis's checkPrefixCollisionsOrReply: no prefix may be a prefix of another, of those the connection has or
    // of those given. (Redis 7.0 answers a clash between two given prefixes after the first with the error and then
    // +OK, enabling them; here the error alone is answered and nothing changes.)
    private static RespValue? Overlap(List<CacheKey> prefixes, TrackingMode? current)
    {
        for (var i = 0; i < prefixes.Count; i++)
        {
            foreach (var existing in current?.Prefixes ?? [])
            {
                if (Overlaps(existing, prefixes[i]))
                    return RespValue.Error($"ERR Prefix '{prefixes[i]}' overlaps with an existing prefix '{existing}'. Prefixes for a single client must not overlap.");
            }
            for (var j = i + 1; j < prefixes.Count; j++)
            {
                if (Overlaps(prefixes[i], prefixes[j]))
                    return RespValue.Error($"ERR Prefix '{prefixes[i]}' overlaps with another provided prefix '{prefixes[j]}'. Prefixes for a single client must not overlap.");
            }
        }
        return null;
    }

    private static bool Overlaps(CacheKey a, CacheKey b)
    {
        var length = Math.Min(a.Length, b.Length);
        return a.AsSpan()[..length].SequenceEqual(b.AsSpan()[..length]);
    }

    private static RespValue Caching(string answer, ConnectionTracking state)
    {
        if (state.Mode is not { } mode)
            return RespValue.Error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
        switch (answer)
        {
            case "YES" when !mode.OptIn:
                return RespValue.Error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            case "NO" when !mode.OptOut:
                return RespValue.Error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            case "YES" or "NO":
                state.Caching = true;
                return RespValue.Ok;
            default:
                return RespPlans.Syntax;
        }
    }

    private static RespMap Info(ConnectionTracking state)
    {
        var mode = state.Mode;
        var flags = new List<RespValue> { RespValue.Bulk(mode is null ? "off" : "on") };
        if (mode is not null)
        {
            if (mode.Bcast)
                flags.Add(RespValue.Bulk("bcast"));
            if (mode.OptIn)
                flags.Add(RespValue.Bulk("optin"));
            if (mode.OptIn && state.Caching)
                flags.Add(RespValue.Bulk("caching-yes"));
            if (mode.OptOut)
                flags.Add(RespValue.Bulk("optout"));
            if (mode.OptOut && state.Caching)
                flags.Add(RespValue.Bulk("caching-no"));
            if (mode.NoLoop)
                flags.Add(RespValue.Bulk("noloop"));
            if (state.BrokenRedirect)
                flags.Add(RespValue.Bulk("broken_redirect"));
        }
        return new RespMap([
            new(RespValue.Bulk("flags"), new RespSet(flags)),
            new(RespValue.Bulk("redirect"), new RespInteger(state.Redirect)),
            new(RespValue.Bulk("prefixes"), new RespArray((mode?.Prefixes ?? []).Select(RespValue.Bulk).ToArray())),
        ]);
    }

    /// <summary>The plan of a tracking connection's command, marked with the keys it reads (a read-only command's,
    /// as Redis's trackingRememberKeys takes them, in the default mode as CLIENT CACHING allows) and, with NOLOOP,
    /// writes. A command refused before it runs (arity, ACL, MOVED) tracks nothing, as in Redis.</summary>
    public static RespPlan Annotate(RespPlan plan, RespArgs args, RespSession session)
    {
        if (session.Tracking.Mode is not { } mode || plan is Immediate { Reply: RespError } || args.Count == 0
            || args.Word(0) is not { } name || RespCommandTable.Find(name) is not { } spec)
            return plan;
        CacheKey[] read = [], written = [];
        if (spec.Flags.Contains("readonly") && !spec.Flags.Contains("pubsub") && mode.TracksReads(session.Tracking.Caching))
            read = spec.KeyPositions(args).Select(args.Key).ToArray();
        if (mode.NoLoop && spec.Flags.Contains("write"))
            written = spec.KeyPositions(args).Select(args.Key).ToArray();
        return read.Length == 0 && written.Length == 0 ? plan : plan with { Tracked = new TrackedKeys(read, written) };
    }
}
